from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses.classroom"
    label = "classroom"
    verbose_name = "Classroom sessions"
