"""The taxonomy loader: the real data loads, and every kind of bad data is refused with its file and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.tools.cv.skills import Taxonomy, find_skills
from services.tools.cv.taxonomy import DATA_DIR, TaxonomyError, form_key, load_taxonomy_data

CATEGORIES = "categories:\n  languages: []\n  devops: [devops]\n  ml: [ml]\n"


def _folder(tmp_path: Path, **files: str) -> Path:
    (tmp_path / "categories.yaml").write_text(CATEGORIES)
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    return tmp_path


def _problems(tmp_path: Path, **files: str) -> str:
    with pytest.raises(TaxonomyError) as raised:
        load_taxonomy_data(_folder(tmp_path, **files))
    return str(raised.value)


def test_the_packaged_taxonomy_is_large_valid_and_says_where_it_comes_from() -> None:
    data = load_taxonomy_data()
    assert len(data.entries) >= 3000
    assert len(data.forms) >= 2 * len(data.entries)
    assert {entry.category for entry in data.entries.values()} <= set(data.categories)
    assert sum(entry.ambiguous for entry in data.entries.values()) >= 100
    assert all(source.strip() for source in data.sources.values()), data.sources
    for category in (
        "languages",
        "cloud",
        "devops",
        "data",
        "ml",
        "mobile",
        "testing",
        "security",
        "management",
    ):
        assert sum(entry.category == category for entry in data.entries.values()) >= 50, category


def test_a_valid_folder_loads_with_forms_and_extra_aliases(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        a="source: test\nskills:\n  - {name: Kubernetes, category: devops, aliases: [k8s, kube]}\n",
        b="source: test\nskills:\n  - {name: Helm, category: devops, ambiguous: true}\naliases:\n  Kubernetes: [K8s]\n",
    )
    data = load_taxonomy_data(folder)
    assert set(data.entries) == {"Kubernetes", "Helm"}
    forms = {
        (form.text, form.skill_name, form.case_sensitive, form.ambiguous, form.is_alias)
        for form in data.forms
    }
    assert ("Kubernetes", "Kubernetes", False, False, False) in forms
    assert ("k8s", "Kubernetes", True, False, True) in forms  # three characters: exact case
    assert ("K8s", "Kubernetes", True, False, True) in forms  # from the other file's aliases
    assert ("Helm", "Helm", True, True, False) in forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("skills:\n  - {name: X, category: nowhere}\n", "unknown category 'nowhere'"),
        ("skills:\n  - {name: X, category: devops, colour: red}\n", "colour"),
        ("skills:\n  - {name: X, category: devops, fields: [space]}\n", "fields"),
        ("skills:\n  - {name: ' X', category: devops}\n", "name"),
        ("skills:\n  - {name: X, category: devops, aliases: ['']}\n", "is empty"),
        ("skills:\n  - {name: X, category: devops, aliases: [a b c d e f g]}\n", "more than 6 words"),
        ("skills:\n  - {name: X, category: devops, aliases: ['...']}\n", "no word"),
        ("skills:\n  - {name: X, category: devops}\n  - {name: x, category: ml}\n", "already defined"),
        (
            "skills:\n  - {name: Terraform, category: devops, aliases: [TF]}\n"
            "  - {name: TensorFlow, category: ml, aliases: [TF]}\n",
            "'TF' belongs to both 'Terraform' and 'TensorFlow'",
        ),
        ("aliases:\n  Nobody: [nobody]\n", "no file defines"),
        ("skills: [unclosed\n", "a.yaml"),
    ],
)
def test_bad_data_is_refused_naming_the_problem(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _problems(tmp_path, a=text)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    message = _problems(
        tmp_path,
        a="skills:\n  - {name: X, category: nowhere}\n  - {name: Y, category: devops, aliases: ['']}\n",
    )
    assert message.startswith("2 problem(s)")


def test_ambiguous_forms_may_be_shared_and_the_context_chooses(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        a="skills:\n  - {name: Terraform, category: devops, aliases: ['?TF']}\n"
        "  - {name: TensorFlow, category: ml, aliases: ['?TF']}\n"
        "  - {name: Keras, category: ml}\n  - {name: Ansible, category: devops}\n",
    )
    taxonomy = Taxonomy(load_taxonomy_data(folder))
    assert "TensorFlow" in find_skills("Skills: TF/Keras", taxonomy).skills
    assert "Terraform" in find_skills("Skills: Ansible, TF", taxonomy).skills
    assert find_skills("The TF was late.", taxonomy).skills == []


def test_the_categories_file_is_required_to_name_known_fields(tmp_path: Path) -> None:
    (tmp_path / "categories.yaml").write_text("categories:\n  devops: [plumbing]\n")
    with pytest.raises(TaxonomyError, match="unknown fields"):
        load_taxonomy_data(tmp_path)


@pytest.mark.parametrize(
    ("a", "b"),
    [("scikit-learn", "Scikit Learn"), ("CI / CD", "CI/CD"), ("Node.js", "node.js"), ("T-SQL", "t sql")],
)
def test_form_keys_fold_spacing_hyphens_and_case(a: str, b: str) -> None:
    assert form_key(a, False) == form_key(b, False)


def test_the_data_folder_holds_only_yaml_the_loader_reads() -> None:
    assert sorted(path.suffix for path in DATA_DIR.iterdir() if path.is_file()) == [".yaml"] * len(
        list(DATA_DIR.iterdir())
    )
