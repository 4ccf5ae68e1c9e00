"""Markdown safety and links, theme overrides, static files, settings errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from pacsite.build import build
from pacsite.cli import main
from pacsite.errors import Diagnostics
from tests.conftest import EXAMPLE_TODAY, MakePlan

PHASE = "content/actions/01-etudes/01-clients.md"


def built(root: Path) -> Path:
    diagnostics = Diagnostics()
    build(root, diagnostics, root / "public", today=EXAMPLE_TODAY)
    return root / "public"


def test_raw_html_is_escaped_and_javascript_links_dropped(make_plan: MakePlan) -> None:
    root = make_plan({PHASE: """
        ---
        title: Clients
        ---
        <script>alert(1)</script> <img src=x onerror=alert(1)>

        [piège](javascript:alert(1))

        ## Résultats
        """})
    html = (built(root) / "actions/etudes/clients/index.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert 'id="sec-resultats"' in html  # prefixed heading ids: no DOM clobbering


def test_raw_html_allowed_when_the_plan_says_so(make_plan: MakePlan) -> None:
    root = make_plan({"pacsite.yaml": "markdown:\n  html: true\n",
                      PHASE: "---\ntitle: Clients\n---\n<mark>important</mark>\n"})
    assert "<mark>important</mark>" in (built(root) / "actions/etudes/clients/index.html").read_text()


def test_links_between_md_files_and_to_static_files(make_plan: MakePlan) -> None:
    root = make_plan({
        "static/docs/charte.pdf": b"%PDF-1.4",
        "content/actions/01-etudes/photo.png": b"\x89PNG",
        "content/pages/guide.md": "---\ntitle: Guide\n---\n[clients](../actions/01-etudes/01-clients.md#texte) "
                                  "[famille](../actions/01-etudes/_index.md) [charte](/docs/charte.pdf)\n",
        PHASE: "---\ntitle: Clients\n---\n![photo](photo.png) [guide](../../pages/guide.md)\n",
    })
    out = built(root)
    guide = (out / "pages/guide/index.html").read_text()
    assert 'href="../../actions/etudes/clients/index.html#texte"' in guide
    assert 'href="../../actions/etudes/index.html"' in guide
    assert 'href="../../docs/charte.pdf"' in guide and (out / "docs/charte.pdf").is_file()
    phase = (out / "actions/etudes/clients/index.html").read_text()
    assert 'src="../../../files/actions/01-etudes/photo.png"' in phase
    assert (out / "files/actions/01-etudes/photo.png").is_file()
    assert 'href="../../../pages/guide/index.html"' in phase


def test_a_link_to_a_missing_file_names_file_and_line(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({PHASE: "---\ntitle: Clients\n---\nUn.\n\nDeux [lien](absent.md).\n"})
    assert main(["check", str(root)]) == 1
    assert f"{PHASE}:6: erreur : lien vers un fichier absent : absent.md" in capsys.readouterr().err


def test_project_templates_shadow_the_theme_and_can_extend_it(make_plan: MakePlan) -> None:
    root = make_plan({
        "templates/page.html": '{% extends "theme/page.html" %}{% block content %}<p class="maison">'
                               "{{ page.title }}</p>{{ super() }}{% endblock %}",
        "content/pages/a-propos.md": "---\ntitle: À propos\n---\nTexte.\n",
    })
    html = (built(root) / "pages/a-propos/index.html").read_text()
    assert '<p class="maison">À propos</p>' in html and "<h1>À propos</h1>" in html


def test_a_template_error_is_reported_not_a_traceback(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"templates/page.html": "{{ nope.nothing }}",
                      "content/pages/a.md": "---\ntitle: A\n---\n"})
    assert main(["build", str(root)]) == 1
    assert "erreur de modèle de page" in capsys.readouterr().err


def test_settings_errors_have_lines_and_suggestions(make_plan: MakePlan, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_plan({"pacsite.yaml": "langage: fr\ncurrency: euro\ntolerance:\n  warnig: 0.1\ntoday: 2027-13-01\n"})
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "pacsite.yaml:1: erreur : langage : réglage inconnu : vouliez-vous dire « language » ?" in err
    assert "pacsite.yaml:2: erreur : currency : un code de devise ISO 4217 comme EUR est attendu" in err
    assert ("pacsite.yaml:4: erreur : tolerance.warnig : réglage inconnu : vouliez-vous dire "
            "« tolerance.warning » ?") in err
    assert "pacsite.yaml:5: erreur : today : « 2027-13-01 » n'est pas une date réelle" in err


def test_english_plan_reads_in_english(make_plan: MakePlan) -> None:
    root = make_plan({"pacsite.yaml": "language: en\nbudget: {envelope: 2000}\n"})
    out = built(root)
    html = (out / "budget/index.html").read_text()
    assert "€1,000.00" in html and "Planned" in html
    assert (out / "timeline/index.html").is_file()


def test_a_killed_builds_leftovers_are_cleaned_and_404_uses_base_url(make_plan: MakePlan) -> None:
    root = make_plan({"pacsite.yaml": "base_url: https://intranet.example/plan\n"})
    leftover = root / ".public.tmp-dead"
    leftover.mkdir()
    (leftover / "index.html").write_text("half")
    out = built(root)
    assert not leftover.exists()
    assert 'href="https://intranet.example/plan/assets/style.css"' in (out / "404.html").read_text()
    assert 'href="assets/style.css"' in (out / "index.html").read_text()


def test_corrective_actions_have_a_page_late_ones_first(make_plan: MakePlan) -> None:
    root = make_plan({
        "content/actions/01-etudes/02-a.md": """
            ---
            title: Phase A
            budget: 10
            corrective_actions:
              - title: Relancer le fournisseur
                owner: Ana Martin
                due: 2027-06-01
                status: in_progress
              - title: Fait depuis longtemps
                due: 2027-01-10
                status: done
              - title: Revoir le devis
                due: 2027-07-15
            ---
            """,
        "content/actions/01-etudes/03-b.md": """
            ---
            title: Phase B
            budget: 10
            corrective_actions:
              - title: Appeler le client
                due: 2027-06-20
                status: planned
              - title: Sans échéance
            ---
            """,
    })
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    html = (root / "public/actions-correctives/index.html").read_text(encoding="utf-8")
    order = [html.index(title) for title in ("Relancer le fournisseur", "Appeler le client", "Revoir le devis",
                                             "Sans échéance", "Fait depuis longtemps")]
    assert order == sorted(order)  # 29 days late, 10 days late, then open by due date (none last), then done
    assert "29 jours de retard" in html and "10 jours de retard" in html
    assert "En cours ou prévues\u00a0: 4 (dont 2 en retard)\u202f; terminées ou annulées\u00a0: 1." in html
    assert 'href="../actions/etudes/a/index.html#actions-correctives">Phase A</a>' in html
    variances = (root / "public/ecarts/index.html").read_text(encoding="utf-8")
    assert '<a href="../actions-correctives/index.html">Actions correctives\u00a0: 5, dont 2 en retard</a>' \
        in variances


def test_a_phase_with_results_draws_them_against_the_line_to_its_target(make_plan: MakePlan) -> None:
    results = """
            result:
              - date: 2027-02-01
                value: 10
              - date: 2027-03-01
                value: 25
              - date: 2027-04-01
                value: 40
            """
    phase = """
            ---
            title: {title}
            budget: 10
            start: 2027-01-15
            end: 2027-06-15
            objective:
              text: contacts
              target: 100
              unit: contacts
            {results}
            ---
            """
    root = make_plan({
        "content/actions/01-etudes/02-a.md": phase.format(title="Trois mesures", results=results.strip()),
        "content/actions/01-etudes/03-b.md": phase.format(
            title="Une mesure", results="result:\n              - date: 2027-02-01\n                value: 10"),
    })
    build(root, Diagnostics(), root / "public", today=EXAMPLE_TODAY)
    html = (root / "public/actions/etudes/a/index.html").read_text(encoding="utf-8")
    # the first result is where the line starts; the text alternative says every point and the target
    assert 'aria-labelledby="r-etudes-a-t r-etudes-a-d"' in html
    assert "01/03/2027 — 25</title>" in html and "01/04/2027 — 40</title>" in html
    assert ("1er\u00a0février\u00a02027\u00a0: 10\u00a0contacts ; 1er\u00a0mars\u00a02027\u00a0: 25\u00a0contacts ; "
            "1er\u00a0avril\u00a02027\u00a0: 40\u00a0contacts ; cible 100\u00a0contacts (15\u00a0juin\u00a02027)"
            ).replace(" ; ", "\u202f; ") in html
    assert "Résultats (contacts)" in html
    assert "chart-wrap" not in (root / "public/actions/etudes/b/index.html").read_text(encoding="utf-8")


def test_the_home_page_says_where_the_plan_stands_and_what_to_deal_with(make_plan: MakePlan) -> None:
    """Worked by hand, judged at 30 June 2027: 'Clients' (1 000 €, January, spent 1 200) is done and its
    objective has no result: missing. 'Salon' ended on 20 June and is not done: 10 days late. 'Mailing' ends
    on 10 July (within 30 days), 'Presse' on 31 July (31 days: not yet), 'Vitrine' on 5 July but is done.

    Planned to date, spread by day up to today: Clients 1 000 + Salon 2 000 + Mailing 20 of its 30 days at
    20,00 a day = 400 + Presse 0 + Vitrine 30 of 35 days of 10 000 cents (285 a day, the first 25 days 286:
    25 × 286 + 5 × 285 = 8 575 cents) = 3 485,75 €. Spent: 1 200 + 500 = 1 700 €. Variance to date
    −1 785,75 € (−51,2 %)."""
    root = make_plan({
        PHASE: "---\ntitle: Clients\nbudget: 1000\nspent: 1200\nstart: 2027-01-01\nend: 2027-01-31\n"
               "status: done\nobjective:\n  text: Interroger\n  target: 400\n---\n",
        "content/actions/01-etudes/02-salon.md": "---\ntitle: Salon\nbudget: 2000\nspent: 500\nstart: 2027-06-01\n"
                                                "end: 2027-06-20\nstatus: in_progress\n---\n",
        "content/actions/01-etudes/03-mailing.md": "---\ntitle: Mailing\nbudget: 600\nstart: 2027-06-11\n"
                                                  "end: 2027-07-10\nstatus: in_progress\n---\n",
        "content/actions/01-etudes/04-presse.md": "---\ntitle: Presse\nbudget: 100\nstart: 2027-07-01\n"
                                                 "end: 2027-07-31\n---\n",
        "content/actions/01-etudes/05-vitrine.md": "---\ntitle: Vitrine\nbudget: 100\nstart: 2027-06-01\n"
                                                  "end: 2027-07-05\nstatus: done\nfinished: 2027-06-29\n---\n",
    })
    home = (built(root) / "index.html").read_text(encoding="utf-8")
    handle = home.split('id="a-traiter"')[1].split("</section>")[0]
    late, soon, missing = (part.split("</ul>")[0] for part in handle.split("<h3>")[1:])
    assert "Salon" in late and "10\u00a0jours de retard" in late and late.count("<li>") == 1
    assert soon.count("<li>") == 1 and "Mailing" in soon and "10\u00a0juillet\u00a02027" in soon
    assert missing.count("<li>") == 1 and "Clients" in missing
    standing = home.split('<div class="standing')[1].split("</div>")[0]
    assert "Réalisé 1\u202f700,00\u00a0€ pour 3\u202f485,75\u00a0€ prévus à date" in standing
    assert "−1\u202f785,75\u00a0€ (−51,2\u00a0%)" in standing and "▲" not in standing  # under: no red, no sign
    # the bar: réalisé on the planned budget (1 000 + 2 000 + 600 + 100 + 100 = 3 800): 1 700 / 3 800 = 44,7 %;
    # the line at prévu à date: 3 485,75 / 3 800 = 91,7 %
    assert 'class="fill" style="width: 44.7%"' in standing and 'class="expected" style="left: 91.7%"' in standing


def test_the_print_margins_name_the_plan_whatever_its_title(make_plan: MakePlan) -> None:
    """The plan's title goes into a CSS string in the page's <style>: a quote, a backslash, a line break or
    '</style>' in it must neither end the string nor the style, and must print as written."""
    from pacsite.render.theme import css_string

    hostile = 'Plan "A" \\ </style><script>alert(1)</script>\nfin'
    # each escape is six digits and the space that ends it; the title's own spaces follow
    assert css_string(hostile) == ('"Plan \\000022 A\\000022  \\00005c  \\00003c /style\\00003e \\00003c script'
                                   '\\00003e alert(1)\\00003c /script\\00003e \\00000a fin"')
    root = make_plan({"pacsite.yaml": f"title: '{hostile.replace(chr(10), ' ')}'\n"})
    html = (built(root) / "index.html").read_text(encoding="utf-8")
    style = html.split('<style media="print">')[1].split("</style>")[0]
    assert "<" not in style and '"Page " counter(page) " / " counter(pages)' in style


def test_one_language_of_signs_across_the_site(example_site: Path) -> None:
    """Lateness is the same red badge on every page (late now or finished late); a column of the variances
    table holds one metric; every gap on a phase page comes with its verdict."""
    import re

    said = 0
    for page in example_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for found in re.finditer(r"(\d+)\u00a0jours? de retard", html):  # pacsite's words (a text's have a space)
            said += 1
            before = html[max(0, found.start() - 60):found.start()]
            assert before.endswith('<span class="badge late"><span aria-hidden="true">⚠</span> '), \
                f"{page.relative_to(example_site)}: lateness not as the badge: …{before}{found.group(0)}"
    assert said > 20
    variances = (example_site / "ecarts/index.html").read_text(encoding="utf-8")
    table = variances.split("<tbody>")[1].split("</tbody>")[0]
    assert not re.search(r'data-label="Écart %">[^<]*consommé', table)  # consumption has its own column
    assert 'data-label="Consommé"' in table
    phase = (example_site / "actions/univers-commercial/amenagement-grenoble/index.html").read_text(encoding="utf-8")
    gaps = phase.split('<dl class="facts three gaps">')[1].split("</dl>")[0]
    # worked from its file: 32 000 € planned, 44 870,35 € spent, ended 28 May, finished 10 June: 13 days late
    assert ">▲</span> Dépassement</span><br><span class=\"over\">+12\u202f870,35\u00a0€ (+40,2\u00a0%)" in gaps
    assert "⚠</span> 13\u00a0jours de retard</span>" in gaps
    lead = phase.split('<p class="lead">')[1].split("</p>")[0]  # and at the top of the page
    assert "13\u00a0jours de retard" in lead and "Dépassement" in lead
    # the plan table says it too, beside "Terminé" (it said only that)
    plan = (example_site / "plan/index.html").read_text(encoding="utf-8")
    row = plan.split('href="../actions/univers-commercial/amenagement-grenoble/index.html"')[1].split("</th>")[0]
    assert "Terminé" in row and "⚠</span> 13\u00a0jours de retard" in row
    # a phase never started (planned, past its end, nothing spent) is not "within budget"
    charter = (example_site / "actions/qualite/charte-qualite/index.html").read_text(encoding="utf-8")
    verdict = charter.split('<dl class="facts three gaps">')[1].split("</div>")[0]
    assert "Non commencée, rien dépensé" in verdict and "Dans le budget" not in verdict
