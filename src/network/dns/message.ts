/**
 * One DNS message in, one out: the wire-level rules around the zone lookup.
 *  - shorter than a header, or a response (QR set): dropped (never answer an answer: loops);
 *  - longer than `maxQueryBytes`, undecodable, or not exactly one question: FORMERR;
 *  - an opcode other than QUERY: NOTIMP;
 *  - the zone's answer, or the upstream's reply relayed byte for byte (SERVFAIL on timeout);
 *  - over UDP an answer larger than the client's limit (512, or its EDNS payload size) is
 *    replaced by the header and question with TC set, so the client asks again over TCP.
 */

import type { Answer, DecodedPacket } from 'dns-packet';
import * as packet from 'dns-packet';
import type { ZoneAnswer } from './zone.js';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
const QR = 0x8000;
const OPCODE_MASK = 0x7800;
const HEADER_BYTES = 12;
/** Plain DNS over UDP (RFC 1035 4.2.1). */
const UDP_DEFAULT_LIMIT = 512;
/** The most we ever send over UDP, whatever EDNS asks (DNS flag day 2020's value). */
const UDP_MAX_LIMIT = 1232;

export interface MessageDeps {
  maxQueryBytes: number;
  answer(qname: string, qtype: string): ZoneAnswer;
  forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined>;
}

/** A header-only reply echoing the query's ID, opcode and RD bit. */
function headerReply(query: Buffer, rcode: number): Buffer {
  const flags = query.readUInt16BE(2);
  return packet.encode({
    id: query.readUInt16BE(0),
    type: 'response',
    flags: (flags & (OPCODE_MASK | 0x0100)) | rcode,
  });
}

function udpLimit(q: DecodedPacket): number {
  const opt = q.additionals?.find((a) => a.type === 'OPT');
  if (opt?.type !== 'OPT') return UDP_DEFAULT_LIMIT;
  return Math.min(Math.max(opt.udpPayloadSize, UDP_DEFAULT_LIMIT), UDP_MAX_LIMIT);
}

function encodeAnswer(
  q: DecodedPacket,
  a: Extract<ZoneAnswer, { kind: 'answer' }>,
  limit: number | undefined,
): Buffer {
  const hasOpt = q.additionals?.some((x) => x.type === 'OPT');
  const opt: Answer[] = hasOpt
    ? [
        {
          type: 'OPT',
          name: '.',
          udpPayloadSize: UDP_MAX_LIMIT,
          extendedRcode: 0,
          ednsVersion: 0,
          flags: 0,
          flag_do: false,
          options: [],
        },
      ]
    : [];
  const flags =
    packet.AUTHORITATIVE_ANSWER |
    packet.RECURSION_AVAILABLE |
    (q.flag_rd ? packet.RECURSION_DESIRED : 0) |
    RCODE[a.rcode];
  const base = { id: q.id ?? 0, type: 'response' as const, questions: q.questions ?? [] };
  const full = packet.encode({
    ...base,
    flags,
    answers: a.answers,
    authorities: a.authorities,
    additionals: [...a.additionals, ...opt],
  });
  if (limit === undefined || full.length <= limit) return full;
  return packet.encode({ ...base, flags: flags | packet.TRUNCATED_RESPONSE, additionals: opt });
}

export async function handleMessage(
  query: Buffer,
  transport: 'udp' | 'tcp',
  deps: MessageDeps,
): Promise<Buffer | undefined> {
  if (query.length < HEADER_BYTES) return undefined;
  if (query.readUInt16BE(2) & QR) return undefined;
  if (query.length > deps.maxQueryBytes) return headerReply(query, RCODE.FORMERR);
  if ((query.readUInt16BE(2) & OPCODE_MASK) !== 0) return headerReply(query, RCODE.NOTIMP);
  let q: DecodedPacket;
  try {
    q = packet.decode(query);
  } catch {
    return headerReply(query, RCODE.FORMERR);
  }
  const question = q.questions?.length === 1 ? q.questions[0] : undefined;
  if (!question || typeof question.name !== 'string') return headerReply(query, RCODE.FORMERR);
  // Only class IN is the cluster's; other classes (CHAOS version queries, ...) go upstream.
  const zone: ZoneAnswer =
    question.class && question.class !== 'IN'
      ? { kind: 'forward' }
      : deps.answer(question.name, question.type);
  if (zone.kind === 'forward') {
    const reply = await deps.forward(query, transport);
    return reply ?? headerReplyWithQuestion(q, RCODE.SERVFAIL);
  }
  return encodeAnswer(q, zone, transport === 'udp' ? udpLimit(q) : undefined);
}

function headerReplyWithQuestion(q: DecodedPacket, rcode: number): Buffer {
  const flags = packet.RECURSION_AVAILABLE | (q.flag_rd ? packet.RECURSION_DESIRED : 0) | rcode;
  return packet.encode({ id: q.id ?? 0, type: 'response', flags, questions: q.questions ?? [] });
}
