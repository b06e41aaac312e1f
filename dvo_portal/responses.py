"""A refused form answers 422 Unprocessable Content, not 200: monitoring, tests and htmx can
tell a refusal from a success. Our views say so with `form_status`; pages rendered as
TemplateResponse by libraries (django-allauth's sign-in, Django admin) get it from
`InvalidFormStatusMiddleware`."""

from django import forms

UNPROCESSABLE = 422


def form_status(request, *forms_: forms.BaseForm | None) -> int:
    """422 for a POST whose form (any of `forms_`) was refused, 200 otherwise."""
    refused = any(form is not None and form.is_bound and form.errors for form in forms_)
    return UNPROCESSABLE if request.method == "POST" and refused else 200


def _refused_forms(context) -> bool:
    for value in context.values():
        form = getattr(value, "form", value)  # the admin wraps its form (AdminForm)
        if isinstance(form, forms.BaseForm) and form.is_bound and form.errors:
            return True
        if isinstance(value, forms.BaseFormSet) and value.is_bound and not value.is_valid():
            return True
        inline_formsets = (
            [getattr(item, "formset", None) for item in value] if isinstance(value, list) else []
        )
        if any(
            isinstance(formset, forms.BaseFormSet) and formset.is_bound and not formset.is_valid()
            for formset in inline_formsets
        ):  # the admin's inlines
            return True
    return False


class InvalidFormStatusMiddleware:
    """A POST answered 200 with a template response whose context holds a refused form
    (django-allauth's sign-in with a wrong password, an admin form with an error) answers 422."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        if (
            request.method == "POST"
            and response.status_code == 200
            and response.context_data
            and _refused_forms(response.context_data)
        ):
            response.status_code = UNPROCESSABLE
        return response
