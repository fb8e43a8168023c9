namespace Aem.Evaluation;

/// <summary>Progress of a long evaluation: <paramref name="Done"/> of <paramref name="Total"/> items in <paramref name="Stage"/>.</summary>
public sealed record EvaluationProgress(string Stage, long Done, long Total);
