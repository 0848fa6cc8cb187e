"""translate: Chinese -> English news translation with source repair, glossary and review files.

The public API, for programs (a CMS pipeline, a notebook)::

    from translate import translate_file
    result = translate_file("article.zh.txt", out_dir="out", model="models/opus-mt-zh-en", beams=1)
    for block in result.document.blocks:
        print(block.id, block.kind.value, block.translation)
    print(result.outputs)

    from translate import translate_corpus      # folders of articles: outputs mirrored, shared batches
    corpus = translate_corpus(["archive/"], out_dir="out", model="models/opus-mt-zh-en-ct2")
    print(corpus.summary["translated"], [a["input"] for a in corpus.failed])

Names are loaded on first use, so importing this package imports nothing heavy.
"""

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "translate_file": "pipeline.run",
    "translate_corpus": "pipeline.corpus",
    "CorpusResult": "pipeline.corpus",
    "run_file": "pipeline.run",
    "RunOptions": "pipeline.run",
    "RunResult": "pipeline.run",
    "EngineSettings": "engines.base",
    "Glossary": "glossary.model",
    "load_glossaries": "glossary.model",
    "Document": "document",
    "Block": "document",
    "BlockKind": "document",
    "read_document": "readers",
    "TranslateError": "errors",
    "InputError": "errors",
    "RunFailed": "errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'translate' has no attribute '{name}'")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
