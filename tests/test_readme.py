"""The README's generated sections must match their generators, so the docs cannot drift."""
from offline import readme
from settings import reference


def test_config_reference_matches_the_settings_models_and_defaults():
    assert readme.section(reference.SECTION) == reference.render(), "run: python -m settings.reference --write"


def test_the_readme_gives_the_two_commands():
    text = readme.README.read_text()
    assert "make plan STACK=dev" in text and "make test" in text
