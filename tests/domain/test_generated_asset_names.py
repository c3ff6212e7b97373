"""A generated still is named after its prompt, so the gallery reads as what it shows."""

from domain.project.asset import asset_of_job

RECORD = {"path": "/media/p/image/j.png", "sha256": "c" * 64, "width": 256, "height": 256}


def test_an_image_job_names_its_asset_after_the_prompt_cut_to_forty_characters() -> None:
    long = "the keeper climbs the spiral stairs of the lighthouse at dusk, lamp in hand"
    named = asset_of_job("image", "j" * 32, RECORD, long)
    assert named is not None
    assert named["name"] == "image jjjjjjjj the keeper climbs the spiral stairs of…"
    short = asset_of_job("image", "j" * 32, RECORD, "  gulls\n over the quay ")
    assert short is not None and short["name"] == "image jjjjjjjj gulls over the quay"
    bare = asset_of_job("segment", "j" * 32, RECORD)
    assert bare is not None and bare["name"] == "segment jjjjjjjj"
