"""``detector serve``: the detector as an HTTP service (Starlette on uvicorn).

:mod:`~detector.service.app` has the routes, :mod:`~detector.service.requests`
reads and checks what clients send, :mod:`~detector.service.scoring` scores
as ``detector flag`` does, :mod:`~detector.service.page` is the form page and
:mod:`~detector.service.config` the settings and limits. Only this package
imports Starlette and uvicorn (``pip install 'detector[serve]'``); the rest of
the detector never does.
"""
