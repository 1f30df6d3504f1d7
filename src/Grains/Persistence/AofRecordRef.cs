namespace OrleansRedis.Grains.Persistence;

/// <summary>
/// Where some of a key's records are: a byte range of one AOF file holding one or more RESP
/// commands on the key. <see cref="Part"/> is the key's position among the keys of a
/// multi-key command (MSET, DEL a b) found in a file Redis wrote, or -1.
/// </summary>
/// <remarks>Kept small (24 bytes): the node holds one or a few per key, active or not.</remarks>
/// <param name="FileSeq">The file's sequence number.</param>
/// <param name="FileType">The file's type: 'b' base, 'i' incremental.</param>
/// <param name="Offset">Where the records start in the file.</param>
/// <param name="Length">How many bytes they take.</param>
/// <param name="Part">The key's position in a multi-key command, or -1.</param>
/// <param name="WholeString">The record is a plain SET: the key is a string without expiry, known without reading it.</param>
public readonly record struct AofRecordRef(int FileSeq, char FileType, long Offset, int Length, short Part = -1, bool WholeString = false);
