namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Where some of a key's records are: a byte range of one AOF file holding one or more RESP
/// commands on the key. <see cref="Part"/> is the key's position among the keys of a
/// multi-key command (MSET, DEL a b) found in a file Redis wrote, or -1.
/// </summary>
/// <remarks>Kept small (24 bytes): the node holds one or a few per key, active or not.</remarks>
public readonly record struct AofRecordRef(int FileSeq, char FileType, long Offset, int Length, short Part = -1);
