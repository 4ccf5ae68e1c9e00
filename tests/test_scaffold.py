"""Tests for ``pacsite init`` (pacsite.scaffold)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from pacsite.scaffold import LANGUAGES, _scalar, families, init_plan, template_files

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
    families_data = families(lang)
    assert len(families_data) == 15
    phase_files = [
        p for p in written if p.parent.parent.name == "actions" and p.name != "_index.md"
    ]
    assert len(phase_files) >= 40
    assert len(phase_files) == sum(len(f.phases) for f in families_data)
    for path in written:
        raw = path.read_bytes()
        assert b"\r" not in raw, path
        raw.decode("utf-8")
        if path.suffix == ".md":
            front_matter(path)
    for f_num, family in enumerate(families_data, start=1):
        folder = tmp_path / "content" / "actions" / f"{f_num:02d}-{family.slug}"
        assert front_matter(folder / "_index.md")[0]["title"] == family.title
        for p_num, phase in enumerate(family.phases, start=1):
            data, body = front_matter(folder / f"{p_num:02d}-{phase.slug}.md")
            assert data["title"] == phase.title  # quoting kept the text intact
            for key in PHASE_KEYS:
                assert key in data and data[key] is None, (phase.slug, key)
            assert data["status"] == "planned"
            if phase.hint:
                assert phase.hint in body


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
    assert len(written) == len(template_files(lang))
    again_written, again_skipped = init_plan(tmp_path, lang)
    assert again_written == []
    assert again_skipped == written


def test_existing_file_is_left_untouched(tmp_path: Path) -> None:
    mine = tmp_path / "content" / "_index.md"
    mine.parent.mkdir(parents=True)
    content = "---\ntitle: Mon plan\n---\r\nmodifié à la main\n".encode()
    mine.write_bytes(content)
    written, skipped = init_plan(tmp_path, "fr")
    assert skipped == [mine]
    assert mine not in written
    assert mine.read_bytes() == content

    phase = tmp_path / "content" / "actions" / "04-qualite" / "01-agrements.md"
    phase.write_bytes(b"---\ntitle: Agr\xc3\xa9ment ISO\nbudget: 1000\n---\n")
    before = phase.read_bytes()
    written, skipped = init_plan(tmp_path, "fr")
    assert written == []
    assert phase in skipped
    assert phase.read_bytes() == before


def test_deleted_file_is_recreated_alone(tmp_path: Path) -> None:
    init_plan(tmp_path, "en")
    gone = tmp_path / "content" / "objectives" / "objective-3.md"
    gone.unlink()
    written, skipped = init_plan(tmp_path, "en")
    assert written == [gone]
    assert gone not in skipped


def test_unknown_language(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="de"):
        init_plan(tmp_path, "de")
    assert list(tmp_path.iterdir()) == []  # nothing written before the error


@pytest.mark.parametrize(
    "text",
    [
        "plain text", "L'étude", "'quoted start", '"quoted"', "a: b", "note #1 # x",
        "yes", "no", "12:30", "01000", "1.5", "~", "null", "", " padded ", "- dash",
        "[list]", "{map}", "&anchor", "*alias", "!tag", "%pct", "@at", "`tick", "ends:",
        "ligne\nsuivante", "tab\there", "Le positionnement \"Qualité\"", "? key", "|", ">",
    ],
)
def test_scalar_round_trips(text: str) -> None:
    assert yaml.safe_load(f"title: {_scalar(text)}") == {"title": text}
