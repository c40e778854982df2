"""The blocks a lesson is written in. Each renders with its own template in templates/blocks/."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from training_site.home.blocks import KeyPointBlock
from training_site.home.helplines import CEOP_URL, borough_helplines, helplines_for

LESSON_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]
# Blocks whose templates read the learner's context (their borough's numbers, teacher
# notes): rendered for each request. The rest of a lesson is the same for every learner and
# is rendered once per revision (courses.lesson_body). A new block that reads the context
# belongs here; tests/courses/test_content_cache.py checks.
PER_LEARNER_BLOCKS = frozenset({"who_to_call", "discussion", "teacher_note"})


class SignsBlock(blocks.StructBlock):
    """A checklist of warning signs."""

    heading = blocks.CharBlock(max_length=120, default="Signs to look for")
    intro = blocks.TextBlock(required=False, max_length=400)
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Signs to look for"
        template = "blocks/signs.html"


class ScenarioBlock(blocks.StructBlock):
    """A short situation, a question to think about, and the answer behind a reveal."""

    title = blocks.CharBlock(max_length=120)
    situation = blocks.TextBlock(max_length=1500)
    question = blocks.CharBlock(max_length=300)
    reveal = blocks.TextBlock(max_length=2000, help_text="The answer, shown when asked for.")

    class Meta:
        icon = "help"
        label = "Scenario"
        template = "blocks/scenario.html"


class StepsBlock(blocks.StructBlock):
    """What to do, in order."""

    heading = blocks.CharBlock(max_length=120, default="What to do")
    steps = blocks.ListBlock(blocks.CharBlock(max_length=400), min_num=1)

    class Meta:
        icon = "list-ol"
        label = "What to do"
        template = "blocks/steps.html"


class LessonImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=True,
        help_text="Say what the picture shows for someone who cannot see it.",
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text="A YouTube or Vimeo address.")
    transcript = blocks.TextBlock(
        required=True,
        help_text="Everything said and shown, for people who cannot watch or hear it.",
    )

    class Meta:
        icon = "media"
        label = "Video"
        template = "blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if not (value.get("transcript") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"transcript": ValidationError("A video needs a transcript.")}
            )
        return value


class WhoToCallBlock(blocks.StructBlock):
    """The learner's own borough contacts, then the national numbers."""

    heading = blocks.CharBlock(max_length=120, default="Who to call")
    for_young_people = blocks.BooleanBlock(
        required=False, help_text="Lead with Childline, for lessons pupils see."
    )

    class Meta:
        icon = "user"
        label = "Who to call"
        template = "blocks/who_to_call.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["helplines"] = helplines_for(young_people=bool(value.get("for_young_people")))
        context["ceop_url"] = CEOP_URL
        parent_context = parent_context or {}
        borough = parent_context.get("learner_borough")
        context["borough"] = borough
        if borough is not None:
            context["local_lines"] = borough_helplines(
                borough, works_nights=bool(parent_context.get("learner_works_nights"))
            )
        return context


class GroundRulesBlock(blocks.StructBlock):
    items = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "clipboard-list"
        label = "Ground rules"
        template = "blocks/ground_rules.html"


class DiscussionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(max_length=600, help_text="The question the class discusses.")
    guidance = blocks.TextBlock(
        max_length=2000, required=False, help_text="Notes for the teacher; pupils never see them."
    )

    class Meta:
        icon = "comment"
        label = "Discussion"
        template = "blocks/discussion.html"


class TeacherNoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=3000)

    class Meta:
        icon = "doc-full"
        label = "Teacher note"
        template = "blocks/teacher_note.html"


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        features=LESSON_TEXT_FEATURES, template="blocks/rich_text.html", label="Text"
    )
    signs = SignsBlock()
    scenario = ScenarioBlock()
    steps = StepsBlock()
    key_point = KeyPointBlock()
    image = LessonImageBlock()
    video = VideoBlock()
    who_to_call = WhoToCallBlock()
    ground_rules = GroundRulesBlock()
    discussion = DiscussionBlock()
    teacher_note = TeacherNoteBlock()

    class Meta:
        block_counts = {"who_to_call": {"max_num": 2}}
