"""The home page: papers, counts and concepts."""

from django.shortcuts import render

from kb import selectors
from papers.access import reader_required


@reader_required
def home(request):
    return render(request, "kb/home.html", selectors.home_summary(user=request.user))
