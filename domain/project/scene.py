from domain.project.value import Value


class Scene(Value):
    id: str
    index: int
    name: str
    heading: str = ""
    script_text: str = ""
