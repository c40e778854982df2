"""Load what a council switches on: boroughs, audiences, site pages and the courses.

Safe to run again: existing rows and pages are left as editors have changed them.
"""

from django.core.management.base import BaseCommand

from courses.loading import courses_load
from training_site.fixtures import FIXTURES_DIR, fixture_read
from training_site.home.loading import site_pages_load
from training_site.people.loading import places_load


class Command(BaseCommand):
    help = (
        "Load boroughs, partnerships, audiences, the site's pages and the courses from fixtures/."
    )

    def handle(self, *args, **options):
        created = places_load(data=fixture_read("places.yaml"))
        self.stdout.write(
            "Places: {partnerships} partnerships, {boroughs} boroughs, "
            "{audiences} audiences added.".format(**created)
        )
        site_pages_load(data=fixture_read("pages.yaml"))
        self.stdout.write("Site pages ready.")
        courses = courses_load(directory=FIXTURES_DIR / "content")
        self.stdout.write(f"Courses ready: {', '.join(course.title for course in courses)}.")
