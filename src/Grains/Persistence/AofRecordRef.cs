namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Where some of a key's records are: a byte range of one AOF file holding one or more RESP
/// commands on the key. <see cref="Part"/> is the key's position among the keys of a
/// multi-key command (MSET, DEL a b) found in a file Redis wrote, or -1.
/// </summary>
public readonly record struct AofRecordRef(long FileSeq, char FileType, long Offset, int Length, int Part = -1);
