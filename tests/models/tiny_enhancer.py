"""A tiny random causal LM for prompt enhancement, saved in transformers layout, offline.

A two-layer Qwen 3 over the byte-level `Qwen2Tokenizer` that tiny_flux2 builds in code, with
its ChatML template (or none, to take the plain-prompt path). Random weights reply with byte
soup, which is exactly what the enhancer must recognise and replace by the rules.
"""

from pathlib import Path

from tests.models.tiny_flux2 import tiny_tokenizer


def build_tiny_enhancer(folder: Path, chat_template: bool = True) -> Path:
    import torch
    from transformers import Qwen3Config, Qwen3ForCausalLM

    tokenizer = tiny_tokenizer()
    if not chat_template:
        tokenizer.chat_template = None
    torch.manual_seed(0)
    config = Qwen3Config(
        vocab_size=len(tokenizer),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=8,
        max_position_embeddings=2048,
        eos_token_id=tokenizer.eos_token_id,
    )
    model = Qwen3ForCausalLM(config).eval()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
