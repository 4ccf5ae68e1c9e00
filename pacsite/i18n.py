"""Interface strings in French (default) and English.

French strings carry their typography: a no-break space before ':' and
before '%', '!' and '?', as a French reader expects.
"""

from __future__ import annotations

import functools
import re

NBSP = "\u00a0"

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "home": "Accueil", "plan": "Tableau du plan", "budget": "Budget",
        "timeline": "Calendrier", "variances": "Écarts", "objectives": "Objectifs",
        "people": "Équipe", "pages": "Pages", "families": "Familles d'actions",
        "family": "Famille d'actions", "phase": "Phase", "phases": "Phases",
        "downloads": "Téléchargements", "skip": "Aller au contenu",
        "vision": "Notre vision à 5 ans", "strategic_objectives": "Objectifs stratégiques",
        "key_figures": "Chiffres clés", "planned": "Prévu", "actual": "Réalisé",
        "variance": "Écart", "variance_pct": "Écart %", "envelope": "Enveloppe",
        "remaining": "Reste disponible", "over_envelope": "Dépassement de l'enveloppe",
        "released": "Libéré (phases annulées)", "late_phases": "Phases en retard",
        "off_track": "Objectifs hors tolérance", "recent": "Récemment terminé ou à venir",
        "total": "Total", "who": "Qui", "start": "Début", "end": "Fin",
        "finished": "Fin réelle", "objective": "Objectif", "result": "Résultat obtenu",
        "analysis": "Analyse des écarts", "corrective_actions": "Actions correctives",
        "status": "Statut", "stage": "Étape du plan", "owner": "Responsable",
        "tags": "Étiquettes", "contributes_to": "Contribue à", "not_linked": "Non rattaché",
        "unassigned": "Non attribué", "undated": "Sans date", "days_late": "jours de retard",
        "day_late": "jour de retard", "late": "En retard", "milestone": "Jalon", "late_phase": "Phase en retard",
        "schedule": "Calendrier", "schedule_variance": "Écart de calendrier",
        "days": "jours", "budget_lines": "Lignes budgétaires", "label": "Libellé",
        "progress": "Avancement", "expected_progress": "Avancement attendu",
        "ahead": "En avance sur le calendrier", "behind": "En retard sur le calendrier",
        "baseline": "Référence", "target": "Cible", "latest": "Dernière mesure",
        "measurements": "Mesures", "metric": "Indicateur", "due": "Échéance",
        "previous": "Précédent", "next": "Suivant", "on_this_page": "Sur cette page",
        "by_family": "Par famille d'actions", "by_stage": "Par étape du plan",
        "by_owner": "Par responsable", "by_objective": "Par objectif stratégique",
        "by_month": "Par mois", "by_quarter": "Par trimestre",
        "cumulative": "Dépenses cumulées, prévu et réalisé",
        "month": "Mois", "quarter": "Trimestre", "today": "Aujourd'hui",
        "judged_at": "Plan évalué au", "objective_gap": "Écart sur objectif",
        "budget_gap": "Écart budgétaire", "schedule_gap": "Écart de calendrier",
        "no_variance": "Aucune phase n'a encore de résultat ni de dépense.",
        "search": "Rechercher", "search_title": "Recherche", "search_label": "Rechercher dans le plan",
        "quoted": "«\u00a0{q}\u00a0»",
        "plan_parts": "Le plan par famille",
        "more_rows": "… et {n} de plus : la page de chaque famille les donne toutes.",
        "more_late": "… et {n} autres phases en retard : voir les écarts.",
        "timeline_overview": "Une ligne par famille, de sa première date de début à sa dernière date de fin ;"
                             " le calendrier de chaque famille est sur sa page.",
        "phase_count": "Phases", "late_count": "En retard",
        "search_placeholder": "Rechercher…", "search_none": "Aucun résultat pour «\u00a0{q}\u00a0».",
        "search_one": "1 résultat pour «\u00a0{q}\u00a0»", "search_count": "{n} résultats pour «\u00a0{q}\u00a0»",
        "search_loading": "Recherche…",
        "search_noscript": "La recherche a besoin de JavaScript.",
        "search_unavailable": "La recherche n'est pas disponible pour ce site.",
        "not_found": "Page introuvable", "not_found_text":
            "Cette page n'existe pas ou a été déplacée.", "back_home": "Retour à l'accueil", "table_equivalent":
            "Le même calendrier sous forme de tableau",
        "chart_alt_budget": "Graphique : prévu et réalisé par famille",
        "overspend": "dépassement", "overspend_key": "Réalisé au-delà du prévu",
        "filter_rows": "Filtrer les phases", "filter_all": "Toutes", "late_only": "En retard seulement",
        "rows_shown": "{n} phases sur {total}",
        "chart_alt_cumulative": "Graphique : dépenses cumulées par mois",
        "chart_alt_progress": "Graphique : avancement de l'objectif",
        "none": "—",
        "phases_of": "Phases de", "generated_by": "Généré par pacsite",
        "company": "Société", "period": "Période", "print": "Imprimer",
        "download_json": "Le plan et ses chiffres (JSON)",
        "download_csv": "Tableaux budgétaires (CSV pour Excel)",
        "download_xlsx": "Tableau du plan et budget (Excel)",
        "download_ics": "Calendrier des phases (iCalendar)",
        "family_envelope": "Enveloppe de la famille", "summary": "Résumé",
        "variances_of": "Écarts de la famille", "serving": "Phases qui y contribuent",
        "contribution": "Budget des phases", "no_phases": "Aucune phase.",
        "main_nav": "Navigation principale", "breadcrumb": "Fil d'Ariane",
        "family_nav": "Familles d'actions", "stages": "Étapes du plan",
        "actions": "Actions", "all_phases": "Toutes les phases", "edit": "Modifier cette page",
        "source_file": "Fichier",
        "off_track_phases": "Phases hors tolérance", "planned_to_date": "Prévu à date",
        "variance_to_date": "Écart à date", "date": "Date", "about": "À propos de ce plan",
        "shared_between": "partagée entre", "objectives_word": "objectifs",
        "phases_entrusted": "Phases confiées à", "accountable_budget": "Budget des phases sous sa responsabilité",
        "summary_table": "Synthèse des écarts", "unit": "Unité", "other_families": "Écarts par famille",
        "to_date_note": "Prévu à date : le budget de chaque phase réparti jour par jour de son début à sa fin, "
                        "compté jusqu'à la date d'évaluation du plan (les phases sans dates comptent en entier). "
                        "L'écart à date compare le réalisé à ce montant.",
        "consumed": "consommé", "of_budget": "du budget", "forecast": "prévision", "as_of": "Au",
        "colon": " :", "list_sep": " ; ",  # French spacing applied below: no-break before : and ;
        "live_errors": "Le plan contient des erreurs ; vous voyez la dernière version correcte.",
        "diff_title": "Plan d'action commerciale :", "diff_planned": "prévus", "diff_actual": "réalisés",
        "diff_delayed": "{n} phases retardées", "diff_delayed_one": "{n} phase retardée",
        "diff_added": "{n} phases ajoutées", "diff_added_one": "{n} phase ajoutée",
        "diff_removed": "{n} phases supprimées", "diff_removed_one": "{n} phase supprimée",
        "diff_moved": "{n} phases changées de famille", "diff_moved_one": "{n} phase changée de famille",
        "diff_nothing": "aucun changement du plan", "diff_budget": "Budget",
        "diff_errors": "{rev} contient {n} erreurs : le plan comparé est ce qui a pu en être lu.",
        "diff_errors_one": "{rev} contient une erreur : le plan comparé est ce qui a pu en être lu.",
        "diff_more_errors": "… et {n} autres erreurs",
        "diff_new_family": "nouvelle famille", "diff_gone_family": "famille supprimée",
        "diff_planned_before": "Prévu avant", "diff_planned_after": "Prévu après", "diff_delta": "Écart",
        "diff_actual_before": "Réalisé avant", "diff_actual_after": "Réalisé après",
        "diff_added_title": "Phases ajoutées", "diff_removed_title": "Phases supprimées",
        "diff_moved_title": "Phases changées de famille", "diff_dates_title": "Dates déplacées",
        "diff_owners_title": "Responsables changés", "diff_status_title": "Statuts changés",
        "diff_results_title": "Nouveaux résultats", "diff_objectives_title": "Statuts d'objectif changés",
        "diff_start": "début", "diff_end": "fin", "diff_slipped": "fin repoussée",
        "diff_day": "jour", "diff_days": "jours", "diff_working_tree": "copie de travail",
        "diff_broken": "⚠ {n} erreurs : le plan ne se construit pas",
        "diff_broken_one": "⚠ {n} erreur : le plan ne se construit pas",
        "diff_broken_before": "⚠ {n} erreurs dans {rev} : le plan ne s'y construisait pas",
        "diff_broken_before_one": "⚠ {n} erreur dans {rev} : le plan ne s'y construisait pas",
        "diff_envelopes": "{n} enveloppes modifiées", "diff_envelopes_one": "{n} enveloppe modifiée",
        "diff_strategic": "{n} objectifs stratégiques modifiés",
        "diff_strategic_one": "{n} objectif stratégique modifié",
        "diff_settings": "{n} réglages modifiés", "diff_settings_one": "{n} réglage modifié",
        "diff_phases_title": "Phases modifiées", "diff_envelopes_title": "Enveloppes",
        "diff_strategic_title": "Objectifs stratégiques modifiés", "diff_settings_title": "Réglages modifiés",
        "diff_unknown_title": "Phases non comparées (fichier en erreur)",
        "diff_whole_plan": "Ensemble du plan", "diff_objective_added": "nouvel objectif",
        "diff_objective_removed": "objectif supprimé", "diff_measurement": "mesure du {date}",
        "diff_field_budget": "budget", "diff_field_spent": "dépensé", "diff_field_start": "début",
        "diff_field_end": "fin", "diff_field_finished": "fin réelle", "diff_field_owner": "responsable",
        "diff_field_status": "statut", "diff_field_result": "résultat", "diff_field_envelope": "enveloppe",
        "diff_field_baseline": "référence", "diff_field_target": "cible", "diff_field_measurement": "mesure",
        "diff_field_today": "date d'évaluation (today)",
        "diff_field_tolerance_warning": "seuil de vigilance (tolerance.warning)",
        "diff_field_tolerance_critical": "seuil critique (tolerance.critical)",
        "last_changed": "Modifié le", "by": "par", "latest_changes": "Dernières modifications du plan",
        "and_more": "et {n} de plus", "corrective_action": "Action corrective", "results_word": "Résultats",
        "changes_title": "Les totaux du plan, modification après modification",
        "chart_alt_changes": "Graphique : totaux prévu et réalisé du plan après chaque modification",
        "changes_link": "Les totaux après chaque modification", "commit": "Modification",
        "changes_errors": "erreurs à cette version", "change_word": "écart",
        "corrective_summary": ("En cours ou prévues : {open} (dont {late} en retard) ; "
                               "terminées ou annulées : {closed}."),
        "no_corrective": "Aucune action corrective dans le plan.",
        "corrective_link": "Actions correctives : {n}, dont {late} en retard",
    },
    "en": {
        "home": "Home", "plan": "Plan table", "budget": "Budget", "timeline": "Timeline",
        "variances": "Variances", "objectives": "Objectives", "people": "People",
        "pages": "Pages", "families": "Action families", "family": "Action family",
        "phase": "Phase", "phases": "Phases", "downloads": "Downloads",
        "skip": "Skip to content", "vision": "Our 5-year vision",
        "strategic_objectives": "Strategic objectives", "key_figures": "Key figures",
        "planned": "Planned", "actual": "Actual", "variance": "Variance",
        "variance_pct": "Variance %", "envelope": "Envelope", "remaining": "Remaining",
        "over_envelope": "Over the envelope", "released": "Released (cancelled phases)",
        "late_phases": "Late phases", "off_track": "Objectives off track",
        "recent": "Recently finished or coming up", "total": "Total", "who": "Who",
        "start": "Start", "end": "End", "finished": "Finished", "objective": "Objective",
        "result": "Result", "analysis": "Variance analysis",
        "corrective_actions": "Corrective actions", "status": "Status",
        "stage": "Plan stage", "owner": "Owner", "tags": "Tags",
        "contributes_to": "Contributes to", "not_linked": "Not linked",
        "unassigned": "Unassigned", "undated": "Undated", "days_late": "days late",
        "day_late": "day late", "late": "Late", "milestone": "Milestone", "late_phase": "Late phase",
        "schedule": "Schedule", "schedule_variance": "Schedule variance", "days": "days",
        "budget_lines": "Budget lines", "label": "Label", "progress": "Progress",
        "expected_progress": "Expected progress", "ahead": "Ahead of schedule",
        "behind": "Behind schedule", "baseline": "Baseline", "target": "Target",
        "latest": "Latest measurement", "measurements": "Measurements", "metric": "Metric",
        "due": "Due", "previous": "Previous", "next": "Next", "on_this_page": "On this page",
        "by_family": "By action family", "by_stage": "By plan stage", "by_owner": "By owner",
        "by_objective": "By strategic objective", "by_month": "By month",
        "by_quarter": "By quarter", "cumulative": "Cumulative spending, planned and actual", "month": "Month",
        "quarter": "Quarter", "today": "Today", "judged_at": "Plan judged at",
        "objective_gap": "Objective gap", "budget_gap": "Budget gap",
        "schedule_gap": "Schedule gap",
        "no_variance": "No phase has a result or a spend yet.",
        "search": "Search", "search_title": "Search", "search_label": "Search the plan",
        "quoted": "“{q}”",
        "plan_parts": "The plan by family", "more_rows": "… and {n} more: each family's page lists all of them.",
        "more_late": "… and {n} more late phases: see the variances.",
        "timeline_overview": "One line per family, from its first start to its last end;"
                             " each family's timeline is on its page.",
        "phase_count": "Phases", "late_count": "Late",
        "search_placeholder": "Search…", "search_none": "No result for “{q}”.",
        "search_one": "1 result for “{q}”", "search_count": "{n} results for “{q}”",
        "search_loading": "Searching…",
        "search_noscript": "Search needs JavaScript.",
        "search_unavailable": "Search is not available for this site.",
        "not_found": "Page not found", "not_found_text": "This page does not exist or has moved.",
        "back_home": "Back to the home page",
        "table_equivalent": "The same schedule as a table",
        "chart_alt_budget": "Chart: planned and actual by family",
        "overspend": "overspend", "overspend_key": "Actual beyond planned",
        "filter_rows": "Filter the phases", "filter_all": "All", "late_only": "Late only",
        "rows_shown": "{n} phases of {total}",
        "chart_alt_cumulative": "Chart: cumulative spending by month",
        "chart_alt_progress": "Chart: objective progress", "none": "—", "phases_of": "Phases of",
        "generated_by": "Generated by pacsite", "company": "Company", "period": "Period",
        "print": "Print", "download_json": "The plan and its figures (JSON)",
        "download_csv": "Budget tables (CSV)", "download_xlsx": "Plan table and budget (Excel)",
        "download_ics": "Phase calendar (iCalendar)", "family_envelope": "Family envelope",
        "summary": "Summary", "variances_of": "Variances of", "serving": "Phases serving it",
        "contribution": "Budget of the phases", "no_phases": "No phase.",
        "main_nav": "Main navigation", "breadcrumb": "Breadcrumb",
        "family_nav": "Action families", "stages": "Plan stages", "actions": "Actions",
        "all_phases": "All phases", "edit": "Edit this page", "source_file": "File",
        "off_track_phases": "Phases off track", "planned_to_date": "Planned to date",
        "variance_to_date": "Variance to date", "date": "Date", "about": "About this plan",
        "shared_between": "shared between", "objectives_word": "objectives",
        "phases_entrusted": "Phases of", "accountable_budget": "Budget of the phases they are accountable for",
        "summary_table": "Summary of variances", "unit": "Unit", "other_families": "Variances by family",
        "to_date_note": "Planned to date: each phase's budget spread day by day from its start to its end, "
                        "counted up to the date the plan is judged at (undated phases count in full). "
                        "The variance to date compares the actual spend with it.",
        "consumed": "spent", "of_budget": "of the budget", "forecast": "forecast", "as_of": "As of",
        "colon": ":", "list_sep": "; ",
        "live_errors": "The plan has errors; you are seeing the last good version.",
        "diff_title": "Commercial action plan:", "diff_planned": "planned", "diff_actual": "actual",
        "diff_delayed": "{n} phases delayed", "diff_delayed_one": "{n} phase delayed",
        "diff_added": "{n} phases added", "diff_added_one": "{n} phase added",
        "diff_removed": "{n} phases removed", "diff_removed_one": "{n} phase removed",
        "diff_moved": "{n} phases moved to another family", "diff_moved_one": "{n} phase moved to another family",
        "diff_nothing": "no change to the plan", "diff_budget": "Budget",
        "diff_errors": "{rev} has {n} errors: the plan compared is what could be read of it.",
        "diff_errors_one": "{rev} has one error: the plan compared is what could be read of it.",
        "diff_more_errors": "… and {n} more errors",
        "diff_new_family": "new family", "diff_gone_family": "family removed",
        "diff_planned_before": "Planned before", "diff_planned_after": "Planned after", "diff_delta": "Change",
        "diff_actual_before": "Actual before", "diff_actual_after": "Actual after",
        "diff_added_title": "Phases added", "diff_removed_title": "Phases removed",
        "diff_moved_title": "Phases moved to another family", "diff_dates_title": "Dates moved",
        "diff_owners_title": "Owners changed", "diff_status_title": "Statuses changed",
        "diff_results_title": "New results", "diff_objectives_title": "Objective statuses changed",
        "diff_start": "start", "diff_end": "end", "diff_slipped": "end pushed back",
        "diff_day": "day", "diff_days": "days", "diff_working_tree": "working tree",
        "diff_broken": "⚠ {n} errors: the plan does not build",
        "diff_broken_one": "⚠ {n} error: the plan does not build",
        "diff_broken_before": "⚠ {n} errors in {rev}: the plan did not build there",
        "diff_broken_before_one": "⚠ {n} error in {rev}: the plan did not build there",
        "diff_envelopes": "{n} envelopes changed", "diff_envelopes_one": "{n} envelope changed",
        "diff_strategic": "{n} strategic objectives changed",
        "diff_strategic_one": "{n} strategic objective changed",
        "diff_settings": "{n} settings changed", "diff_settings_one": "{n} setting changed",
        "diff_phases_title": "Phases changed", "diff_envelopes_title": "Envelopes",
        "diff_strategic_title": "Strategic objectives changed", "diff_settings_title": "Settings changed",
        "diff_unknown_title": "Phases not compared (file with errors)",
        "diff_whole_plan": "Whole plan", "diff_objective_added": "new objective",
        "diff_objective_removed": "objective removed", "diff_measurement": "measurement of {date}",
        "diff_field_budget": "budget", "diff_field_spent": "spent", "diff_field_start": "start",
        "diff_field_end": "end", "diff_field_finished": "finished", "diff_field_owner": "owner",
        "diff_field_status": "status", "diff_field_result": "result", "diff_field_envelope": "envelope",
        "diff_field_baseline": "baseline", "diff_field_target": "target", "diff_field_measurement": "measurement",
        "diff_field_today": "judging date (today)",
        "diff_field_tolerance_warning": "warning threshold (tolerance.warning)",
        "diff_field_tolerance_critical": "critical threshold (tolerance.critical)",
        "last_changed": "Last changed", "by": "by", "latest_changes": "Latest changes to the plan",
        "and_more": "and {n} more", "corrective_action": "Corrective action", "results_word": "Results",
        "changes_title": "The plan's totals, change after change",
        "chart_alt_changes": "Chart: the plan's planned and actual totals after each change",
        "changes_link": "The totals after each change", "commit": "Change",
        "changes_errors": "errors at this version", "change_word": "change",
        "corrective_summary": "Planned or under way: {open} ({late} late); done or cancelled: {closed}.",
        "no_corrective": "No corrective action in the plan.",
        "corrective_link": "Corrective actions: {n}, {late} late",
    },
}

STATUS_LABELS = {
    "fr": {"planned": "Prévu", "in_progress": "En cours", "done": "Terminé",
           "cancelled": "Annulé"},
    "en": {"planned": "Planned", "in_progress": "In progress", "done": "Done",
           "cancelled": "Cancelled"},
}
OBJECTIVE_LABELS = {
    "fr": {"met": "Atteint", "on_track": "Dans la tolérance", "watch": "À surveiller",
           "off_track": "Hors tolérance", "pending": "En attente de résultat"},
    "en": {"met": "Met", "on_track": "On track", "watch": "Watch", "off_track": "Off track",
           "pending": "Pending"},
}
# a word and an icon, never colour alone
ICONS = {
    "planned": "○", "in_progress": "◐", "done": "✓", "cancelled": "✕",
    "met": "✓", "on_track": "✓", "watch": "⚠", "off_track": "✗", "pending": "…",
    "late": "⚠",
}


_BEFORE = re.compile(r"[ \u00a0\u202f]+([:;!?%»])")
_AFTER = re.compile(r"«[ \u00a0\u202f]+")
_TRIGGER = re.compile(r"[ \u00a0\u202f][:;!?%»]|«")


def french_spaces(text: str) -> str:
    """Put the no-break spaces French typography wants before : ; ! ? % and inside « »."""
    if not _TRIGGER.search(text):
        return text
    text = _BEFORE.sub(lambda m: ("\u00a0" if m.group(1) in ":%»" else "\u202f") + m.group(1), text)
    return _AFTER.sub("«\u00a0", text)


def plural(language: str, n: int, one: str, many: str) -> str:
    """The word for ``n`` things: French says 0 and 1 in the singular, English only 1."""
    return one if (n <= 1 if language == "fr" else n == 1) else many


@functools.cache  # every page's view asks for it: made once per language, shared, never changed
def translator(language: str) -> dict[str, str]:
    """Return the strings of a language, with French typography applied."""
    table = dict(STRINGS[language])
    if language == "fr":
        table = {k: french_spaces(v) for k, v in table.items()}
    return table
