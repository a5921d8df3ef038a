import {
  type ChatMessage,
  drawLength,
  type GeneratorContext,
  itemRandom,
  option,
  type PromptSource,
} from '../../src/workload/index.ts';
import { SHAREGPT, shuffledOrder, turnsOf } from './sharegpt.ts';

// Multi-turn chats that carry the conversation forward: each user works through one ShareGPT
// conversation at a time, sending its human turns in order with the whole history so far; the reply it
// got (or, when the reply text was not kept or the request failed, the recorded reply) is appended
// before the next turn. After max_turns (default: all) it starts its next conversation.

interface Conversation {
  id: string;
  turns: ChatMessage[];
  history: ChatMessage[];
  /** Index in `turns` of the next user turn to send. */
  next: number;
  sent: number;
}

/** Conversations replayed turn by turn, per user. */
export async function MultiTurnChatGenerator(context: GeneratorContext): Promise<PromptSource> {
  const records = await context.openDataset(SHAREGPT);
  const order = shuffledOrder(records.size, context.seed);
  const maxTurns = option(context, 'max_turns', Number.POSITIVE_INFINITY);
  const active = new Map<number, Conversation>();

  const nextUserTurn = (c: Conversation) => {
    let i = c.next;
    while (i < c.turns.length && c.turns[i]!.role !== 'user') i++;
    return i < c.turns.length && c.sent < maxTurns ? i : -1;
  };

  const start = async (index: number): Promise<Conversation> => {
    for (let step = 0; step < records.size; step++) {
      const at = (index + step) % records.size;
      const turns = turnsOf(await records.get(order[at]!));
      const c: Conversation = { id: `conv-${order[at]}`, turns, history: [], next: 0, sent: 0 };
      if (nextUserTurn(c) >= 0) return c;
    }
    throw new Error(`no conversation with a human turn in ${records.path}`);
  };

  const outputLength = (reply: ChatMessage | undefined, index: number) => {
    if (context.lengths.output)
      return { expectedOutputTokens: drawLength(context.lengths.output, itemRandom(context.seed, index)) };
    if (reply?.role === 'assistant')
      return { expectedOutputTokens: Math.max(1, context.tokens.count(reply.content)) };
    return {};
  };

  return {
    size: records.size,
    async get(index, user) {
      let c = active.get(user);
      if (!c || nextUserTurn(c) < 0) {
        c = await start(index);
        active.set(user, c);
      }
      const at = nextUserTurn(c);
      const turn = c.turns[at]!;
      c.history.push(turn);
      c.next = at + 1;
      c.sent++;
      const reply = c.turns[at + 1];
      return {
        prompt: turn.content,
        messages: c.history.slice(),
        conversationId: `${c.id}-u${user}`,
        turn: c.sent,
        ...outputLength(reply, index),
      };
    },
    done(user, _item, result) {
      const c = active.get(user);
      if (!c) return;
      const recorded = c.turns[c.next];
      const text =
        result.ok && result.text !== undefined
          ? result.text
          : recorded?.role === 'assistant'
            ? recorded.content
            : '';
      c.history.push({ role: 'assistant', content: text });
      if (recorded?.role === 'assistant') c.next++;
    },
    close: () => records.close(),
  };
}
