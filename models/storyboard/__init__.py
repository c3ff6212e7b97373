"""The AI storyboard's writer: a local causal LM behind the application's LanguageModel port."""
