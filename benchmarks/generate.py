"""Write a valid plan of any size, deterministically (same arguments, same bytes).

    python benchmarks/generate.py OUT --phases 1500 [--families 15] [--words 300]
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "piscine alarme sécurité client distributeur salon marge devis catalogue prospect "
    "agence réseau fidélité remise enquête qualité livraison stock commande vitrine "
    "partenaire prescripteur campagne visite démonstration norme installation"
).split()
STATUSES = ("planned", "in_progress", "done", "cancelled", "prévu", "en cours", "terminé")


def generate(out: Path, phases: int, families: int = 15, words: int = 300, seed: int = 7) -> None:
    """Write ``phases`` phases over ``families`` families into ``out``."""
    rng = random.Random(seed)
    content = out / "content"
    (content / "objectives").mkdir(parents=True, exist_ok=True)
    (out / "pacsite.yaml").write_text("today: 2027-06-30\nbudget:\n  envelope: 99999999\n")
    (content / "_index.md").write_text("---\ntitle: Plan généré\ncompany: Bench SA\n---\nPlan de test.\n")
    (content / "people.yaml").write_text("".join(f"p{i}: {{name: Personne {i}}}\n" for i in range(20)))
    for i in range(4):
        (content / "objectives" / f"o{i}.md").write_text(
            f"---\ntitle: Objectif {i}\nbaseline: {{value: 100, date: 2027-01-01}}\n"
            f"target: {{value: 200, date: 2028-12-31}}\nmeasurements:\n  - {{date: 2027-06-01, value: 130}}\n---\n"
        )
    per_family = [phases // families + (1 if f < phases % families else 0) for f in range(families)]
    for f, count in enumerate(per_family):
        folder = content / "actions" / f"{f + 1:02d}-famille-{f + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_index.md").write_text(f"---\ntitle: Famille {f + 1}\nowner: p{f % 20}\n---\nTexte.\n")
        for n in range(count):
            start = date(2027, 1, 1) + timedelta(days=rng.randrange(700))
            end = start + timedelta(days=rng.randrange(120))
            body = " ".join(rng.choice(WORDS) for _ in range(words))
            objectives = ", ".join(f"o{k}" for k in rng.sample(range(4), rng.randrange(3)))
            (folder / f"{n + 1:04d}-phase-{n + 1}.md").write_text(
                f"---\ntitle: Phase {f + 1}.{n + 1}\nowner: p{rng.randrange(20)}\n"
                f"budget: \"{rng.randrange(100, 50000)},{rng.randrange(100):02d} €\"\n"
                f"spent: {rng.randrange(0, 40000)}\nstart: {start}\nend: {end}\n"
                f"status: {rng.choice(STATUSES)}\ncontributes_to: [{objectives}]\n"
                f"objective: {{text: Objectif, target: {rng.randrange(10, 100)}}}\n"
                f"result: {{value: {rng.randrange(5, 120)}, date: {start}}}\n"
                f"---\n## Détail\n\n{body}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--phases", type=int, default=1500)
    parser.add_argument("--families", type=int, default=15)
    parser.add_argument("--words", type=int, default=300)
    args = parser.parse_args()
    generate(args.out, args.phases, args.families, args.words)


if __name__ == "__main__":
    main()
