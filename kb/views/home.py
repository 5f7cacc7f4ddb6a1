"""The home page: papers, counts and concepts."""

from django.shortcuts import render

from kb.selectors.home import home_summary
from papers.access import reader_required


@reader_required
def home(request):
    return render(request, "kb/home.html", home_summary(user=request.user))
