from domain.project.value import Value


class Scene(Value):
    id: str
    index: int
    name: str
    heading: str = ""
    script_text: str = ""
    synopsis: str = ""
    # The scene's key in the imported script, so a re-import finds it again.
    script_key: str = ""
