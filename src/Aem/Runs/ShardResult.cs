using Aem.Evaluation;

namespace Aem.Runs;

/// <summary>
/// One shard's results: what they are of (<see cref="Header"/>) and the scores of its points
/// (<see cref="Points"/>). <see cref="ShardFile"/> writes and reads it; <see cref="ShardMerge"/> joins N of them.
/// </summary>
/// <param name="Header">The shard's identity; <see cref="ShardFile.Write"/> fills in the columns, statistics and checksum.</param>
/// <param name="Points">The shard's per-point scores.</param>
public sealed record ShardResult(ShardHeader Header, ScoredPoints Points);
