// A loopback Responses server for turns of one command: a request whose input ends with a tool
// output gets the message "ok"; any other gets one exec_command call with `callArguments`. Used by
// the cases that run many such turns (approval, soak). The request body is collected as Buffers, so a
// long thread's growing requests are not re-concatenated as strings chunk by chunk.
import http from 'node:http';

const frame = (ev) => `event: ${ev.type}\ndata: ${JSON.stringify(ev)}\n\n`;

/** Resolves with { baseUrl, close }. */
export function startExecTurnModel(callArguments) {
  const args = JSON.stringify(callArguments);
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/responses')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"not here"}}');
        return;
      }
      let last;
      try {
        last = JSON.parse(Buffer.concat(chunks).toString('utf8')).input?.at(-1);
      } catch {
        last = undefined;
      }
      const id = `resp_bench_${++n}`;
      const item =
        last?.type === 'function_call_output'
          ? { type: 'message', role: 'assistant', id: `msg_${n}`, status: 'completed', content: [{ type: 'output_text', text: 'ok', annotations: [] }] }
          : { type: 'function_call', id: `fc_${n}`, call_id: `call_true_${n}`, name: 'exec_command', arguments: args, status: 'completed' };
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(
        frame({ type: 'response.created', response: { id } }) +
          frame({ type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress' } }) +
          frame({ type: 'response.output_item.done', output_index: 0, item }) +
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
    server.listen(0, '127.0.0.1', () => res({ baseUrl: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => server.close(r)) })),
  );
}
