"""The animatic cannot apply a LoRA: its card shows the stack the model would apply."""

import numpy as np

from models.animatic.card import lora_label, render_card

REQUEST = {"seed": 3, "prompt": "a lamp flares", "storyboard": {"shot_type": "wide"}}


def test_the_card_names_the_stack_and_is_unchanged_without_one() -> None:
    plain = render_card(REQUEST, 512, 320)
    assert np.array_equal(plain, render_card({**REQUEST, "loras": []}, 512, 320))
    stack = [{"path": "/loras/dolly.safetensors", "strength": 0.8}]
    assert not np.array_equal(plain, render_card({**REQUEST, "loras": stack}, 512, 320))
    assert lora_label(stack[0]) == "dolly 0.8"
