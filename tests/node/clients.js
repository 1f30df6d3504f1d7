// Usage: node clients.js PORT
// Lists, sets, sorted sets, moves and blocking pops through ioredis and node-redis, unmodified,
// against the server on PORT; prints one JSON line per step. The test runs it against
// OrleansRedis and against redis-server and compares the lines.
'use strict';
const Redis = require('ioredis');
const { createClient, commandOptions } = require('redis');

const port = Number(process.argv[2]);
const out = (step, value) => console.log(JSON.stringify([step, value]));
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function withIoredis() {
  const a = new Redis({ port, host: '127.0.0.1', db: 2, lazyConnect: true, maxRetriesPerRequest: 1 });
  const b = new Redis({ port, host: '127.0.0.1', db: 2, lazyConnect: true, maxRetriesPerRequest: 1 });
  await a.connect();
  await b.connect();
  await a.del('io:l', 'io:l2', 'io:s', 'io:s2', 'io:z', 'io:q', 'io:done');
  out('io rpush', await a.rpush('io:l', 'a', 'b', 'c'));
  out('io lrange', await a.lrange('io:l', 0, -1));
  out('io lpop count', await a.lpop('io:l', 2));
  out('io lmove', await a.lmove('io:l', 'io:l2', 'LEFT', 'RIGHT'));
  out('io rpoplpush none', await a.rpoplpush('io:l', 'io:l2'));
  out('io sadd', await a.sadd('io:s', 'x', 'y', 'z'));
  out('io smove', await a.smove('io:s', 'io:s2', 'x'));
  out('io smembers', (await a.smembers('io:s2')).sort());
  out('io zadd', await a.zadd('io:z', 1, 'one', 2, 'two', 3, 'three'));
  out('io zrange withscores', await a.zrange('io:z', 0, -1, 'WITHSCORES'));
  out('io zpopmin', await a.zpopmin('io:z'));
  out('io bzpopmax ready', await a.bzpopmax('io:z', 1));
  out('io blpop timeout', await a.blpop('io:q', 0.1));
  // A consumer waiting on a queue, woken by a producer on another connection (Bull/Sidekiq style).
  const waiting = a.brpoplpush('io:q', 'io:done', 5);
  await sleep(100);
  out('io lpush to waiting', await b.lpush('io:q', 'job1'));
  out('io brpoplpush woken', await waiting);
  const moving = a.blmove('io:q', 'io:done', 'RIGHT', 'LEFT', 5);
  await sleep(100);
  await b.rpush('io:q', 'job2');
  out('io blmove woken', await moving);
  out('io done', await a.lrange('io:done', 0, -1));
  const multi = a.blmpop(5, 2, 'io:none', 'io:q', 'LEFT', 'COUNT', 3);
  await sleep(100);
  await b.rpush('io:q', 'm1', 'm2');
  out('io blmpop woken', await multi);
  a.disconnect();
  b.disconnect();
}

async function withNodeRedis() {
  const a = createClient({ socket: { port, host: '127.0.0.1' }, database: 3 });
  const b = createClient({ socket: { port, host: '127.0.0.1' }, database: 3 });
  await a.connect();
  await b.connect();
  await a.del(['nr:l', 'nr:l2', 'nr:s', 'nr:z', 'nr:q', 'nr:q2']);
  out('nr rPush', await a.rPush('nr:l', ['a', 'b', 'c']));
  out('nr lMove', await a.lMove('nr:l', 'nr:l2', 'RIGHT', 'LEFT'));
  out('nr lPos', await a.lPos('nr:l', 'b'));
  out('nr sAdd', await a.sAdd('nr:s', ['1', '2', '3']));
  out('nr sIsMember', await a.sIsMember('nr:s', '2'));
  out('nr zAdd', await a.zAdd('nr:z', [{ score: 5, value: 'five' }, { score: 1, value: 'one' }]));
  out('nr zRangeWithScores', await a.zRangeWithScores('nr:z', 0, -1));
  out('nr zPopMin', await a.zPopMin('nr:z'));
  out('nr blPop timeout', await a.blPop(commandOptions({ isolated: true }), 'nr:q', 0.1));
  const waiting = a.blPop(commandOptions({ isolated: true }), ['nr:q2', 'nr:q'], 5);
  await sleep(100);
  await b.rPush('nr:q', 'task');
  out('nr blPop woken', await waiting);
  const zwaiting = a.bzPopMin(commandOptions({ isolated: true }), 'nr:z2', 5);
  await sleep(100);
  await b.zAdd('nr:z2', { score: 2.5, value: 'm' });
  out('nr bzPopMin woken', await zwaiting);
  await a.quit();
  await b.quit();
}

(async () => {
  await withIoredis();
  await withNodeRedis();
})().catch(error => {
  console.log(JSON.stringify(['error', String(error && error.stack || error)]));
  process.exit(1);
});
