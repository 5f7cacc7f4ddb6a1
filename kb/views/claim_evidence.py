"""Claims across papers: the reader's claim picker (search all claims one can see), the
concept autocomplete of the claim forms, and an evidence quote's stance."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from kb.forms.claims import EvidenceStanceForm
from kb.selectors.claim_evidence import claim_search, evidence_get
from kb.selectors.concept_names import concept_suggest
from kb.services import claims as services
from kb.services.versions import StaleEdit
from papers.access import editor_required, reader_required

JSON_OPTIONS = {"json_dumps_params": {"ensure_ascii": False}}


@editor_required
@require_GET
def api_claim_search(request):
    """``?q=``: up to 10 claims whose statement matches, each with the URL that adds evidence."""
    claims = claim_search(user=request.user, query=request.GET.get("q", ""))
    return JsonResponse(
        {
            "claims": [
                {
                    "id": c.pk,
                    "statement": c.statement[:300],
                    "paper": c.paper.display_title[:120],
                    "status": c.status,
                    "status_label": c.get_status_display(),
                    "url": c.get_absolute_url(),
                    "evidence_api": reverse("kb:api-evidence-add", args=[c.pk]),
                }
                for c in claims
            ]
        },
        **JSON_OPTIONS,
    )


@reader_required
@require_GET
def api_concept_suggest(request):
    """``?q=``: up to 10 concepts whose label, English label or alias starts with (or contains) q."""
    found = concept_suggest(query=request.GET.get("q", ""))
    return JsonResponse({"concepts": [s.as_json() for s in found]}, **JSON_OPTIONS)


@editor_required
@require_POST
def evidence_stance(request, pk: int):
    """The claim page's stance form for one evidence quote."""
    evidence = evidence_get(pk=pk, user=request.user)
    form = EvidenceStanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(services.BAD_STANCE))
    else:
        try:
            services.evidence_set_stance(
                user=request.user,
                evidence=evidence,
                stance=form.cleaned_data["stance"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            messages.error(request, exc.messages[0])
    return redirect(evidence.claim.get_absolute_url() + f"#evidence-{evidence.pk}")
