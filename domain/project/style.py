from domain.project.value import Value


class StylePreset(Value):
    name: str
    prompt_additions: str = ""
    negative_prompt: str = ""
