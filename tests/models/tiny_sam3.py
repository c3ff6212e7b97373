"""A tiny random SAM 3, built offline from config and saved as Milimo's sam3/ folder expects.

tracker/ holds a Sam3TrackerModel (points and boxes), text/ a Sam3Model (text prompts) with the
real `CLIPTokenizer` class over a vocabulary made here, so nothing touches a hub. Both are saved
with `save_pretrained`, the layout the backend loads through `from_pretrained`, as real weights.

Sizes: a ViT of hidden 32 and 2 layers on 128×128 pixels in 16-pixel patches (an 8×8 grid, like
the real 1008/14 = 72); the neck's scale factors [4, 2, 1] give the 32/16/8 feature maps the
tracker's mask decoder expects, and its prompt encoder grid (128/16) equals the smallest one.
"""

import string
from pathlib import Path
from typing import Any

IMAGE_SIZE = 128
PATCH = 16
HIDDEN = 32
GRID = IMAGE_SIZE // PATCH
TEXT_LENGTH = 32


def _vision_config() -> dict[str, Any]:
    return {
        "model_type": "sam3_vision_model",
        "backbone_config": {
            "model_type": "sam3_vit_model",
            "hidden_size": HIDDEN,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "image_size": IMAGE_SIZE,
            "patch_size": PATCH,
            "window_size": 4,
            "global_attn_indexes": [1],
            "pretrain_image_size": IMAGE_SIZE,
        },
        "fpn_hidden_size": HIDDEN,
        "scale_factors": [4.0, 2.0, 1.0],
        "backbone_feature_sizes": [[GRID * 4] * 2, [GRID * 2] * 2, [GRID] * 2],
    }


def build_tiny_tracker(folder: Path, seed: int = 0) -> Path:
    import torch
    from transformers import Sam3TrackerConfig, Sam3TrackerModel

    config = Sam3TrackerConfig(
        vision_config=_vision_config(),
        prompt_encoder_config={
            "hidden_size": HIDDEN,
            "image_size": IMAGE_SIZE,
            "patch_size": PATCH,
            "mask_input_channels": 4,
        },
        mask_decoder_config={
            "hidden_size": HIDDEN,
            "mlp_dim": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "iou_head_hidden_dim": HIDDEN,
        },
    )
    torch.manual_seed(seed)
    model = Sam3TrackerModel(config).eval()
    model.save_pretrained(folder)
    return folder


def tiny_tokenizer() -> Any:
    from transformers import CLIPTokenizer

    specials = ["<|startoftext|>", "<|endoftext|>"]
    vocab: dict[str, int] = {token: index for index, token in enumerate(specials)}
    # CLIP's byte-level pre-tokenizer maps a space to "Ġ"; every character stands alone or ends a
    # word ("</w>"), so no merges are needed for any lower-case ASCII text.
    for char in "Ġ" + string.ascii_lowercase + string.digits + string.punctuation:
        vocab.setdefault(char, len(vocab))
        vocab.setdefault(char + "</w>", len(vocab))
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=TEXT_LENGTH)


def build_tiny_text(folder: Path, seed: int = 0) -> Path:
    import torch
    from transformers import Sam3Config, Sam3Model

    tokenizer = tiny_tokenizer()
    layers = {"hidden_size": HIDDEN, "num_attention_heads": 2, "intermediate_size": 64}
    config = Sam3Config(
        vision_config={**_vision_config(), "scale_factors": [4.0, 2.0, 1.0, 0.5]},
        text_config={
            "model_type": "clip_text_model",
            "vocab_size": len(tokenizer),
            "hidden_size": HIDDEN,
            "intermediate_size": 64,
            "projection_dim": HIDDEN,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "max_position_embeddings": TEXT_LENGTH,
            "bos_token_id": tokenizer.bos_token_id,
            "eos_token_id": tokenizer.eos_token_id,
            "pad_token_id": tokenizer.pad_token_id,
        },
        geometry_encoder_config={**layers, "num_layers": 1},
        detr_encoder_config={**layers, "num_layers": 1},
        detr_decoder_config={**layers, "num_layers": 1, "num_queries": 8},
        mask_decoder_config={"hidden_size": HIDDEN, "num_attention_heads": 2},
    )
    torch.manual_seed(seed)
    model = Sam3Model(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def build_tiny_sam3(root: Path, tracker: bool = True, text: bool = True) -> Path:
    """<root> laid out as <models_dir>/sam3: tracker/ and text/, either left out on request."""
    root.mkdir(parents=True, exist_ok=True)
    if tracker:
        build_tiny_tracker(root / "tracker")
    if text:
        build_tiny_text(root / "text")
    return root
