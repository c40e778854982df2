"""The base form of places in the Wagtail admin."""

from wagtail.admin.forms import WagtailAdminModelForm


class ScopeFieldsForm(WagtailAdminModelForm):
    """A form some of whose fields are left out for users without their permission (a
    FieldPanel's `permission`): the constraints naming those fields still hold, checked
    against the stored values, so a clash is a form error rather than an IntegrityError."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - set(self._meta.field_permissions or ())
