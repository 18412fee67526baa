"""Runs the experiment's JavaScript reward (reward.js, exported verbatim from the lab) from Python: a
long-lived `node js_reward_host.mjs reward.js` subprocess, one JSON line per batch each way. Needs Node
(>= 18) on the machine that computes rewards.

    scorer = JsReward('reward.js')
    rewards = scorer.score([{'prompt': '12+7=', 'completion': '19', 'answer': '19', 'task': 'addition', 'arm': 'd2'}])"""
import atexit
import json
import os
import shutil
import subprocess
import threading

HERE = os.path.dirname(os.path.abspath(__file__))


class JsRewardError(RuntimeError):
    """The JavaScript reward failed (did not compile, threw, returned a non-number, timed out)."""


class JsReward:
    def __init__(self, code_path, timeout_ms=2000, node=None):
        self.code_path = os.path.abspath(code_path)
        self.timeout_ms = timeout_ms
        self.node = node or os.environ.get('NODE') or shutil.which('node')
        if not self.node:
            raise JsRewardError('Node.js is needed to run the JavaScript reward: install it (>= 18) or set NODE to its path.')
        self._process = None
        self._next_id = 0
        self._lock = threading.Lock()
        atexit.register(self.close)

    def _start(self):
        host = os.path.join(HERE, 'js_reward_host.mjs')
        self._process = subprocess.Popen(
            [self.node, host, self.code_path, '--timeout-ms', str(self.timeout_ms)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding='utf-8', bufsize=1)

    def score_detailed(self, samples):
        """(rewards, components) for a batch of {prompt, completion, answer, task, arm} dicts."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            self._next_id += 1
            request_id = self._next_id
            try:
                self._process.stdin.write(json.dumps({'id': request_id, 'samples': list(samples)}) + '\n')
                self._process.stdin.flush()
                line = self._process.stdout.readline()
            except (BrokenPipeError, OSError) as error:
                raise JsRewardError(f'the Node reward process died: {error}; stderr: {self._stderr()}') from error
            if not line:
                raise JsRewardError(f'the Node reward process exited; stderr: {self._stderr()}')
            reply = json.loads(line)
            if reply.get('id') != request_id:
                raise JsRewardError(f'reply for request {reply.get("id")}, expected {request_id}')
            if 'error' in reply:
                where = f' (sample {reply["sample"]}: {json.dumps(samples[reply["sample"]])})' if 'sample' in reply else ''
                raise JsRewardError(reply['error'] + where)
            return reply['rewards'], reply['components']

    def score(self, samples):
        return self.score_detailed(samples)[0]

    def _stderr(self):
        try:
            self._process.kill()
            return self._process.stderr.read()[-2000:]
        except Exception:
            return ''

    def close(self):
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None
