"""A tiny random Flux 2 Klein pipeline, built offline from config and saved in diffusers layout.

Shaped like the real one where Milimo depends on it: the VAE downsamples 8× and the pipeline
patchifies 2×2, so sizes are multiples of 16 as with real weights; the pipeline reads the text
encoder's hidden states of layers 9, 18 and 27, so the tiny Qwen 3 has 28 layers and the
transformer's joint_attention_dim is 3 × its hidden size. The tokenizer is the real
`Qwen2Tokenizer` class over a byte-level vocabulary made here, with a ChatML chat template that
takes `enable_thinking` as Qwen 3's does; nothing touches a hub.
"""

from pathlib import Path
from typing import Any

TEXT_HIDDEN = 16
# Flux 2 Klein stacks hidden_states[9], [18] and [27]: 28 layers give 29 hidden states, the
# ones read being intermediate (as in the real 36-layer Qwen 3), not the final normed one.
TEXT_LAYERS = 28
READ_LAYERS = 3
LATENT_CHANNELS = 4

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}"
    "{{- '<|im_start|>assistant\\n' }}"
    "{%- if enable_thinking is defined and enable_thinking is false %}"
    "{{- '<think>\\n\\n</think>\\n\\n' }}"
    "{%- endif %}"
    "{%- endif %}"
)


def _byte_alphabet() -> list[str]:
    """GPT-2's byte → printable character map (what a byte-level BPE vocabulary is made of)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars, extra = [], 0
    for byte in range(256):
        if byte in printable:
            chars.append(chr(byte))
        else:
            chars.append(chr(256 + extra))
            extra += 1
    return chars


def tiny_tokenizer() -> Any:
    from transformers import Qwen2Tokenizer

    vocab: dict[str, int] = {}
    for char in _byte_alphabet():
        vocab.setdefault(char, len(vocab))
    for token in SPECIALS:
        vocab[token] = len(vocab)
    tokenizer = Qwen2Tokenizer(vocab=vocab, merges=[], eos_token="<|im_end|>")
    tokenizer.add_special_tokens({"additional_special_tokens": SPECIALS[1:]})
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def tiny_text_encoder(vocab_size: int) -> Any:
    from transformers import Qwen3Config, Qwen3ForCausalLM

    config = Qwen3Config(
        vocab_size=vocab_size,
        hidden_size=TEXT_HIDDEN,
        intermediate_size=32,
        num_hidden_layers=TEXT_LAYERS,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=8,
        max_position_embeddings=1024,
    )
    return Qwen3ForCausalLM(config).eval()


def build_tiny_flux2(target: Path, distilled: bool = False) -> Path:
    """Build and save the tiny pipeline under `target`; returns `target`."""
    import torch
    from diffusers import (
        AutoencoderKLFlux2,
        FlowMatchEulerDiscreteScheduler,
        Flux2KleinPipeline,
        Flux2Transformer2DModel,
    )

    tokenizer = tiny_tokenizer()
    torch.manual_seed(0)
    text_encoder = tiny_text_encoder(len(tokenizer))
    torch.manual_seed(0)
    transformer = Flux2Transformer2DModel(
        patch_size=1,
        in_channels=LATENT_CHANNELS * 4,  # the VAE's latents, 2×2 patchified
        num_layers=1,
        num_single_layers=1,
        attention_head_dim=16,
        num_attention_heads=2,
        joint_attention_dim=TEXT_HIDDEN * READ_LAYERS,
        timestep_guidance_channels=32,
        axes_dims_rope=(4, 4, 4, 4),
        guidance_embeds=False,
    ).eval()
    torch.manual_seed(0)
    # Four blocks as in the real VAE: 8× down, so Milimo's sizes keep their real meaning.
    vae = AutoencoderKLFlux2(
        block_out_channels=(8, 8, 8, 8),
        layers_per_block=1,
        latent_channels=LATENT_CHANNELS,
        norm_num_groups=4,
        sample_size=128,
    ).eval()
    pipe = Flux2KleinPipeline(
        scheduler=FlowMatchEulerDiscreteScheduler(shift=3.0, use_dynamic_shifting=True),
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        transformer=transformer,
        is_distilled=distilled,
    )
    pipe.save_pretrained(str(target))
    return target
