"""Scores completions with the lab's built-in reward, one JSON object per line on stdin:
   {"weights": {...}, "problem": {"task", "prompt", "answer", ...}, "completion": "...", "tokens": 3, "overlong": null}
and writes {"reward": r, "components": {...}} per line on stdout. The lab's parity test drives it."""
import json
import sys

from lab_reward import score_builtin


def main():
    out = []
    for line in sys.stdin.buffer.read().decode('utf-8', 'surrogatepass').split('\n'):
        if not line.strip():
            continue
        case = json.loads(line)
        reward, components = score_builtin(case['weights'], case['problem'], case['completion'], case.get('tokens'), case.get('overlong'))
        out.append(json.dumps({'reward': reward, 'components': components}))
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
