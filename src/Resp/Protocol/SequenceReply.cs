using OrleansRedis.Abstractions.Replies;

namespace OrleansRedis.Resp.Protocol;

/// <summary>
/// Several replies to one command, written one after another (SUBSCRIBE a b answers once per
/// channel). Only the RESP layer makes these; they never travel to a grain.
/// </summary>
public sealed record SequenceReply(Reply[] Replies) : Reply;
