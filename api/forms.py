from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Vad nyckeln ska användas till"),
        max_length=100,
        help_text=_("Till exempel ”Intranätets ärendelista” eller ”Power BI, uppföljning”."),
    )
