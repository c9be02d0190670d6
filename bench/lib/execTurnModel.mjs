// A loopback Responses server for turns of one command: a request whose input ends with a tool
// output gets the message "ok"; any other gets one call of the shell tool the request offers, with
// `callArguments` ({ cmd, ...exec_command's other arguments }) in that tool's shape:
//   exec_command   (0.169, ours)  callArguments as given;
//   shell_command  (0.80 with gpt-5.1-codex)  { command: cmd, workdir?, login? };
//   shell          { command: ['bash', '-lc' (or '-c' with login: false), cmd], workdir? };
// the first offered in that order (../shared/conformance/mock-model.mjs prefers them the same way),
// exec_command when the request offers none. With `callArguments` null every request gets the
// message (a plain turn); `{ deltas: n }` streams the message as n output_text deltas (default 0:
// the finished item only). Used by the cases that run many such turns (approval, soak, v1turn). The
// request body is collected as Buffers, so a long thread's growing requests are not re-concatenated
// as strings chunk by chunk. `lastToolOutput` is the output (a string, or the content items as
// JSON) of the most recent function_call_output the model was sent, for a case to check that the
// command ran.
import http from 'node:http';

const frame = (ev) => `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;
const SHELL_TOOLS = ['exec_command', 'shell_command', 'shell'];

/** The call ({ name, args }) of the shell tool `body` offers. */
function shellCall(body, { cmd, ...rest }) {
  const offered = new Set((body?.tools ?? []).map((t) => t?.name ?? t?.function?.name));
  const name = SHELL_TOOLS.find((n) => offered.has(n)) ?? 'exec_command';
  const optional = (keys) => Object.fromEntries(keys.filter((k) => rest[k] !== undefined).map((k) => [k, rest[k]]));
  if (name === 'exec_command') return { name, args: { cmd, ...rest } };
  if (name === 'shell_command') return { name, args: { command: cmd, ...optional(['workdir', 'login']) } };
  return { name, args: { command: ['bash', rest.login === false ? '-c' : '-lc', cmd], ...optional(['workdir']) } };
}

function messageEvents(id, text, deltas) {
  const item = { type: 'message', role: 'assistant', id, status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
  // Without deltas the added item already carries the text, as it always has for approval and soak.
  let out = frame({ type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', ...(deltas > 0 ? { content: [] } : {}) } });
  if (deltas > 0) {
    out += frame({
      type: 'response.content_part.added',
      output_index: 0,
      item_id: id,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    });
    const size = Math.ceil(text.length / deltas);
    for (let i = 0; i < text.length; i += size)
      out += frame({ type: 'response.output_text.delta', output_index: 0, item_id: id, content_index: 0, delta: text.slice(i, i + size) });
    out += frame({ type: 'response.output_text.done', output_index: 0, item_id: id, content_index: 0, text });
  }
  return out + frame({ type: 'response.output_item.done', output_index: 0, item });
}

/** Resolves with { baseUrl, close, lastToolOutput }. */
export function startExecTurnModel(callArguments, { text = 'ok', deltas = 0 } = {}) {
  let n = 0;
  const model = { baseUrl: '', close: null, lastToolOutput: null };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not here"}}');
        return;
      }
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const last = body?.input?.at(-1);
      const id = `resp_bench_${++n}`;
      let events;
      if (last?.type === 'function_call_output' || callArguments === null) {
        if (last?.type === 'function_call_output') model.lastToolOutput = typeof last.output === 'string' ? last.output : JSON.stringify(last.output);
        events = messageEvents(`msg_${n}`, text, deltas);
      } else {
        const { name, args } = shellCall(body, callArguments);
        const item = { type: 'function_call', id: `fc_${n}`, call_id: `call_true_${n}`, name, arguments: JSON.stringify(args), status: 'completed' };
        events =
          frame({ type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress' } }) +
          frame({ type: 'response.output_item.done', output_index: 0, item });
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(
        frame({ type: 'response.created', response: { id } }) +
          events +
          frame({
            type: 'response.completed',
            response: {
              id,
              usage: {
                input_tokens: 10,
                input_tokens_details: { cached_tokens: 0 },
                output_tokens: 1,
                output_tokens_details: { reasoning_tokens: 0 },
                total_tokens: 11,
              },
            },
          }),
      );
    });
  });
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => {
      model.baseUrl = `http://127.0.0.1:${server.address().port}/v1`;
      model.close = () => new Promise((r) => server.close(r));
      res(model);
    }),
  );
}
