"""Tests for ``pacsite init`` (pacsite.tools.init)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pacsite.load.sources import discover
from pacsite.tools.init import LANGUAGES, PlanExists, init_plan, starter, template_files

FR_FAMILY_TITLES = [
    "La réalisation des études de marché préalables",
    "La finalisation de l'offre commerciale",
    "La conception de l'identité commerciale",
    'Le positionnement "Qualité"',
    "La création des supports de présentation commerciale",
    "La conception des supports contractuels",
    "La conception de l'univers commercial (sur le lieu de vente)",
    "La préparation des actions de marketing publicitaire",
    "La préparation des actions de marketing direct",
    "La préparation des actions de marketing événementiel",
    'La préparation des actions de marketing "relationnel"',
    'La préparation des actions spécifiques de marketing "fidélisation des clients"',
    "L'organisation du système de commercialisation",
    "L'organisation de la logistique",
    "L'informatisation du suivi commercial",
]

FR_FOLDERS = [
    "01-etudes-de-marche", "02-offre-commerciale", "03-identite-commerciale", "04-qualite",
    "05-supports-commerciaux", "06-supports-contractuels", "07-univers-commercial",
    "08-marketing-publicitaire", "09-marketing-direct", "10-marketing-evenementiel",
    "11-marketing-relationnel", "12-fidelisation", "13-organisation-commerciale",
    "14-logistique", "15-suivi-commercial",
]

EN_FOLDERS = [
    "01-market-research", "02-commercial-offer", "03-brand-identity", "04-quality",
    "05-sales-material", "06-contract-documents", "07-point-of-sale", "08-advertising",
    "09-direct-marketing", "10-event-marketing", "11-relationship-marketing",
    "12-customer-loyalty", "13-sales-organisation", "14-logistics", "15-sales-tracking",
]

PHASE_KEYS = ("owner", "budget", "start", "end", "objective")

REPO = Path(__file__).resolve().parent.parent


class _NoDuplicatesLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys, like pacsite's own loader."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    keys = [loader.construct_object(k) for k, _ in node.value]
    assert len(keys) == len(set(keys)), f"duplicate keys in {keys}"
    return loader.construct_mapping(node)


_NoDuplicatesLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def front_matter(path: Path) -> tuple[dict, str]:
    """Split a content file into (parsed front matter, body)."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head, sep, body = text[4:].partition("\n---\n")
    assert sep, f"unterminated front matter in {path}"
    for line in head.splitlines():  # no anchors or aliases: pacsite refuses them
        value = line.partition("#")[0].partition(":")[2].strip()
        assert not value.startswith(("&", "*")), (path, line)
    data = yaml.load(head, Loader=_NoDuplicatesLoader)  # noqa: S506 - safe subclass
    assert isinstance(data, dict), path
    return data, body


@pytest.fixture(params=LANGUAGES)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


def test_fr_structure(tmp_path: Path) -> None:
    written, skipped = init_plan(tmp_path, "fr")
    assert skipped == []
    actions = tmp_path / "content" / "actions"
    assert sorted(p.name for p in actions.iterdir()) == FR_FOLDERS
    titles = [front_matter(actions / d / "_index.md")[0]["title"] for d in FR_FOLDERS]
    assert titles == FR_FAMILY_TITLES
    stages = [front_matter(actions / d / "_index.md")[0]["stage"] for d in FR_FOLDERS]
    assert stages == ["preparatory"] * 2 + ["operational"] * 13
    first = front_matter(actions / "01-etudes-de-marche" / "01-clientele-potentielle.md")
    assert first[0]["title"] == "L'étude de la clientèle potentielle et des segments de marché"
    synthese, body = front_matter(actions / "01-etudes-de-marche" / "04-synthese.md")
    assert synthese["title"] == "La synthèse des études de marché"
    assert "forces/faiblesses" in body  # the template's italic hint becomes guidance
    objectives = sorted(p.name for p in (tmp_path / "content" / "objectives").iterdir())
    assert objectives == ["objectif-1.md", "objectif-2.md", "objectif-3.md"]
    obj = front_matter(tmp_path / "content" / "objectives" / "objectif-2.md")[0]
    assert obj["title"] == "Objectif stratégique 2"
    header = front_matter(tmp_path / "content" / "_index.md")[0]
    assert header["title"] == "Plan d'action commerciale"
    assert header["period"] == {"start": None, "end": None}
    assert isinstance(header["vision"], str) and header["vision"]
    assert yaml.safe_load((tmp_path / "pacsite.yaml").read_text("utf-8")) == {"language": "fr"}


def test_en_structure(tmp_path: Path) -> None:
    init_plan(tmp_path, "en")
    actions = tmp_path / "content" / "actions"
    assert sorted(p.name for p in actions.iterdir()) == EN_FOLDERS
    first = front_matter(actions / "01-market-research" / "_index.md")[0]
    assert first["title"] == "Preliminary market research"
    assert first["stage"] == "preparatory"
    objectives = sorted(p.name for p in (tmp_path / "content" / "objectives").iterdir())
    assert objectives == ["objective-1.md", "objective-2.md", "objective-3.md"]
    obj = front_matter(tmp_path / "content" / "objectives" / "objective-1.md")[0]
    assert obj["title"] == "Strategic objective 1"
    header = front_matter(tmp_path / "content" / "_index.md")[0]
    assert header["title"] == "Commercial action plan"
    assert yaml.safe_load((tmp_path / "pacsite.yaml").read_text("utf-8")) == {"language": "en"}


def test_every_file_is_valid(tmp_path: Path, lang: str) -> None:
    written, _ = init_plan(tmp_path, lang)
    actions = tmp_path / "content" / "actions"
    phase_files = [p for p in written if p.parent.parent == actions and p.name != "_index.md"]
    assert len(phase_files) >= 40
    for path in written:
        raw = path.read_bytes()
        assert b"\r" not in raw, path
        raw.decode("utf-8")
        if path.suffix == ".md" and path.parent != tmp_path:  # the repository's README has none
            front_matter(path)
    for folder in sorted(actions.iterdir()):
        family = front_matter(folder / "_index.md")[0]
        assert isinstance(family["title"], str) and family["title"], folder
        assert family["stage"] in ("preparatory", "operational"), folder
        phases = sorted(p.name for p in folder.iterdir() if p.name != "_index.md")
        assert [name[:3] for name in phases] == [f"{n:02d}-" for n in range(1, len(phases) + 1)], folder
        for name in phases:
            data, body = front_matter(folder / name)
            assert isinstance(data["title"], str) and data["title"], name  # quoting kept the text a string
            for key in PHASE_KEYS:
                assert key in data and data[key] is None, (name, key)
            assert data["status"] == "planned"
            assert body.strip(), name  # the guidance, and the template's hint when it has one


def _shape(root: Path) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Each family's folder number and stage, with its phases' numbers and whether they carry a hint."""
    shape = []
    for folder in sorted((root / "content" / "actions").iterdir()):
        phases = sorted(p for p in folder.iterdir() if p.name != "_index.md")
        stage = front_matter(folder / "_index.md")[0]["stage"]
        shape.append((folder.name[:2] + stage, [(p.name[:2], "\n\n*" in front_matter(p)[1]) for p in phases]))
    return shape


def test_the_two_starters_are_translations_of_each_other(tmp_path: Path) -> None:
    """Same families, stages, phases and hints, in the same order: only the words differ."""
    for code in LANGUAGES:
        init_plan(tmp_path / code, code)
    fr, en = (_shape(tmp_path / code) for code in ("fr", "en"))
    assert len(fr) == 15 and fr == en
    assert sum(hint for _, phases in fr for _, hint in phases) == 13


def test_init_copies_its_starter_plan_byte_for_byte(tmp_path: Path, lang: str) -> None:
    folder = Path(str(starter(lang)))  # an editable or a wheel install: a folder on disk
    init_plan(tmp_path, lang)
    shipped = {p.relative_to(folder).as_posix(): p.read_bytes().replace(b"\r\n", b"\n")
               for p in folder.rglob("*") if p.is_file()}
    written = {p.relative_to(tmp_path).as_posix(): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {**shipped, ".gitignore": written[".gitignore"], "README.md": written["README.md"]}
    assert [rel for rel, _ in template_files(lang)][:3] == [".gitignore", "README.md", "pacsite.yaml"]


def test_each_starter_plan_passes_a_strict_check_and_is_left_as_it_was(lang: str) -> None:
    from pacsite.cli import main

    folder = Path(str(starter(lang)))
    # nothing else: a public/ left by building it here would ship in the wheel and be copied by init
    assert sorted(p.name for p in folder.iterdir()) == ["content", "pacsite.yaml"]
    before = sorted(p for p in folder.rglob("*"))
    assert main(["check", str(folder), "--strict"]) == 0
    assert sorted(p for p in folder.rglob("*")) == before  # nothing written beside it, nothing for the wheel


def test_this_repositorys_own_plan_does_not_read_the_starters() -> None:
    starters = REPO / "pacsite" / "starters"
    assert sorted(p.name for p in starters.iterdir()) == sorted(LANGUAGES)
    assert not [s.path for s in discover(REPO) if s.path.is_relative_to(starters)]


def _uncomment_keys(text: str) -> str:
    """Uncomment the commented example keys (``# key: ...``, nested or listed)."""
    keep = re.compile(r"^# (?:[a-z_]+:|  +(?:- |[a-z_]+:))")
    return "\n".join(line[2:] for line in text.splitlines() if keep.match(line))


def test_commented_examples_are_valid_yaml(tmp_path: Path, lang: str) -> None:
    """Uncommenting the example keys must give valid YAML, not a trap."""
    init_plan(tmp_path, lang)
    for path in sorted((tmp_path / "content" / "objectives").iterdir()):
        head = path.read_text("utf-8")[4:].partition("\n---\n")[0]
        data = yaml.safe_load(_uncomment_keys(head))
        assert set(data) == {"metric", "unit", "baseline", "target", "direction", "measurements"}
        assert data["direction"] == "increase"
        assert set(data["target"]) == {"value", "date"}
    phase = next((tmp_path / "content" / "actions").glob("01-*/01-*.md"))
    head = phase.read_text("utf-8")[4:].partition("\n---\n")[0]
    data = yaml.safe_load(_uncomment_keys(head))
    assert set(data) == {"spent", "finished", "result", "analysis", "contributes_to"}
    config = yaml.safe_load(_uncomment_keys((tmp_path / "pacsite.yaml").read_text("utf-8")))
    assert config["budget"] == {"envelope": 150000}
    assert config["currency"] == "EUR"
    assert config["tolerance"] == {"warning": 0.05, "critical": 0.15}


def test_second_init_writes_nothing(tmp_path: Path, lang: str) -> None:
    written, skipped = init_plan(tmp_path, lang)
    assert len(written) == len(template_files(lang)) and skipped == []
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    with pytest.raises(PlanExists) as refused:
        init_plan(tmp_path, lang)
    assert refused.value.found == tmp_path / "pacsite.yaml"
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("plan_file", ["pacsite.yaml", "content/_index.md", "content/people.yaml",
                                       "content/actions/01-salons/02-piscine-expo.md", "content/pages/logo.pdf"])
def test_a_folder_that_holds_a_plan_is_refused_whole(tmp_path: Path, plan_file: str) -> None:
    mine = tmp_path / plan_file
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("---\ntitle: Mon plan\n---\n", encoding="utf-8")
    with pytest.raises(PlanExists) as refused:
        init_plan(tmp_path, "fr")
    assert refused.value.found == mine
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [mine]  # not one template file beside it


def test_a_folder_with_unrelated_files_is_fine_and_they_are_kept(tmp_path: Path) -> None:
    """A fresh ``git init``, a README, hidden or temporary files under content/: not a plan."""
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    readme = tmp_path / "README.md"
    readme.write_bytes(b"# Notre plan\r\n")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "content" / "_index.md~").write_text("backup")
    written, skipped = init_plan(tmp_path, "fr")
    assert skipped == [readme] and readme.read_bytes() == b"# Notre plan\r\n"
    assert len(written) == len(template_files("fr")) - 1
    assert (tmp_path / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (tmp_path / ".gitignore").is_file() and (tmp_path / "content" / "_index.md").is_file()


def test_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="de"):
        init_plan(tmp_path, "de")
    assert list(tmp_path.iterdir()) == []  # nothing written before the error


def test_the_readme_speaks_the_plans_language_and_its_example_phase_is_valid(tmp_path: Path, lang: str) -> None:
    from pacsite.cli import main

    init_plan(tmp_path, lang)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    for command in ("pacsite serve", "pacsite check", "pacsite build", "public/", ".github/workflows/plan.yml"):
        assert command in readme
    heading = "## Modifier une phase" if lang == "fr" else "## Edit a phase"
    assert heading in readme
    # the CI snippet is pacsite's own, word for word
    ours = (REPO / "README.md").read_text(encoding="utf-8").partition("### Reviewing a change")[2]
    snippet = ours[ours.index("```yaml\n"):]
    assert snippet[: snippet.index("\n```\n") + 5] in readme
    # the example phase passes pacsite check in the plan it was written into
    example = readme.partition("```markdown\n")[2].partition("```\n")[0]
    phase = next((tmp_path / "content" / "actions").glob("01-*/01-*.md"))
    phase.write_text(example, encoding="utf-8")
    assert main(["check", str(tmp_path), "--today", "2027-06-30"]) == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_gitignore_keeps_what_pacsite_writes_out_of_git(tmp_path: Path) -> None:
    from pacsite.cli import main

    init_plan(tmp_path, "fr")
    assert main(["build", str(tmp_path), "--today", "2027-06-30"]) == 0
    assert (tmp_path / "public" / "index.html").is_file() and (tmp_path / ".public.lock").is_file()
    (tmp_path / ".public.tmp-k1ll3d").mkdir()  # a build killed mid-way, an import too
    (tmp_path / ".public.tmp-k1ll3d" / "index.html").write_text("x")
    (tmp_path / ".pacsite-import-k1ll3d" / "content").mkdir(parents=True)
    (tmp_path / ".pacsite-import-k1ll3d" / "content" / "_index.md").write_text("x")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(["git", "-C", str(tmp_path), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    paths = sorted(line[3:] for line in listed)
    assert paths == sorted(rel for rel, _ in template_files("fr"))


REFUSED = {"fr": "contient déjà un plan (content/_index.md) ; rien n'a été écrit",
           "en": "already holds a plan (content/_index.md); nothing was written"}


def test_init_refuses_a_plan_in_one_line_of_its_language(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pacsite.cli import main

    mine = tmp_path / "content" / "_index.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\ntitle: Mon plan\n---\n", encoding="utf-8")
    assert main(["init", str(tmp_path), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith(REFUSED[lang] + "\n"), err
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [mine]


def test_init_says_what_it_kept_and_wrote_in_its_language(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pacsite.cli import main

    (tmp_path / "README.md").write_text("# Notre dépôt\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.pyc\n", encoding="utf-8")
    assert main(["init", str(tmp_path), "--lang", lang]) == 0
    lines = capsys.readouterr().err.splitlines()
    n = len(template_files(lang)) - 2
    if lang == "fr":
        assert lines[0] == f"pacsite : {tmp_path / '.gitignore'} existe déjà, gardé tel quel : ajoutez-y " \
                           "/public/ et /.public.* pour ne pas versionner le site construit"
        assert lines[1] == f"pacsite : {tmp_path / 'README.md'} existe déjà, gardé tel quel"
        assert lines[2] == f"pacsite : {n} fichiers écrits dans {tmp_path} ; ensuite : pacsite serve {tmp_path}"
    else:
        assert lines[0].startswith(f"pacsite: kept existing {tmp_path / '.gitignore'}: add /public/")
        assert lines[1] == f"pacsite: kept existing {tmp_path / 'README.md'}"
        assert lines[2] == f"pacsite: wrote {n} files in {tmp_path}; next: pacsite serve {tmp_path}"
    assert len(lines) == 3
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Notre dépôt\n"


@pytest.mark.parametrize("n, fr, en", [(0, "0 fichier écrit", "0 files"), (1, "1 fichier écrit", "1 file in"),
                                       (2, "2 fichiers écrits", "2 files")])
def test_init_counts_files_with_each_languages_plural(n: int, fr: str, en: str) -> None:
    from pacsite.messages import msg

    said = msg("init_wrote", n=n, folder="plan", next="pacsite serve plan")
    assert f"pacsite : {fr} dans plan ; ensuite : pacsite serve plan" == said.text("fr")
    assert f"pacsite: wrote {en}" in said.text("en")
