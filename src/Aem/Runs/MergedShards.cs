using Aem.Evaluation;

namespace Aem.Runs;

/// <summary>The result of <see cref="ShardMerge.Merge"/>: the whole job's per-point scores and what they are of.</summary>
/// <param name="Header">The first shard's header (the identity all shards share).</param>
/// <param name="Points">Every point's scores, in the order one process would have scored them.</param>
/// <param name="Files">The shard files, by shard index.</param>
/// <param name="Seconds">The shards' scoring times added up (compute time, not wall time).</param>
public sealed record MergedShards(ShardHeader Header, ScoredPoints Points, IReadOnlyList<string> Files, double Seconds)
{
    /// <summary>The summary: mean ± 2 SE of every column, as <see cref="TestEvaluation.Run"/> reports it.</summary>
    public TestEvaluationReport Summary => TestEvaluation.Summarize(Points);

    /// <summary>
    /// The report <c>aem evaluate</c> would have written for the whole job in one process (shards of
    /// <see cref="ShardHeader.EvaluateKind"/>; its time is the shards' added up).
    /// </summary>
    public RunEvaluationReport ToEvaluationReport()
    {
        if (Header.Kind != ShardHeader.EvaluateKind) throw new InvalidOperationException($"Shards of aem {Header.Kind} make no evaluation report.");
        return new RunEvaluationReport
        {
            Checkpoint = Header.Checkpoint,
            Step = Header.Step,
            Data = Header.Data,
            Split = Header.Split ?? DataSplit.Test,
            Units = Header.Units,
            Scores = Summary,
            Truth = Header.Truth,
            Seconds = Seconds,
            Seed = Header.Seed,
        };
    }
}
