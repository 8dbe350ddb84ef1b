"""moto's server on loopback, with Step Functions executions that really run their states: a local stand-in for
SQS and for state machines with .waitForTaskToken integrations. The tests start it, and so can you
(docs/local-recipe.md, "Run a worker on your machine").

Usage: python3 src/local/moto_server.py PORT     (needs: pip install 'moto[server]')

moto 5.2.1 (what these machines have) needs two changes, both made here and nowhere else:
- execute_state_machine: by default moto stores state machines but never runs them;
- StateMachine.__deepcopy__: every StartExecution after the first fails with "cannot pickle '_thread.RLock'"
  (getmoto/moto#10077, fixed after 5.2.1), because copying a state machine drags its live executions, their
  threads and the backend along. A copy here shares those instead of copying them.
"""
import copy
import sys

from moto.core.config import default_user_config

default_user_config["stepfunctions"]["execute_state_machine"] = True

import moto.stepfunctions.models as models  # noqa: E402

_SHARED = ("executions", "backend")


def _deepcopy(self, memo):
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    for name, value in self.__dict__.items():
        shared = any(part in name for part in _SHARED)
        setattr(result, name, value if shared else copy.deepcopy(value, memo))
    return result


models.StateMachine.__deepcopy__ = _deepcopy

from moto.server import main  # noqa: E402

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
