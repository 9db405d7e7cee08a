"""RESULTS list/get/delete: the records kept on the target until the host deletes them."""

from rtvirt_agent.protocol.rpc import OpError
from rtvirt_agent.store import StoreError

from .args import ArgReader


def _with_store_errors(call):
    try:
        return call()
    except StoreError as error:
        raise OpError(error.code, str(error)) from None


def handlers(agent):
    store = agent.store

    def results_list(args, ctx):
        ArgReader("results.list", args)
        return {"results": store.list()}

    def results_get(args, ctx):
        rid = ArgReader("results.get", args).get("id")
        return {"id": rid, "data": _with_store_errors(lambda: store.get(rid))}

    def results_delete(args, ctx):
        rid = ArgReader("results.delete", args).get("id")
        _with_store_errors(lambda: store.delete(rid))
        return {}

    return {"results.list": results_list, "results.get": results_get,
            "results.delete": results_delete}
