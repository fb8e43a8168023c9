namespace Aem.Evaluation;

/// <summary>Progress of a long evaluation: <paramref name="Done"/> of <paramref name="Total"/> items in <paramref name="Stage"/>.</summary>
/// <param name="Stage">What is being done (<see cref="Scoring"/>, <see cref="KdeSelection"/>, or another step's name).</param>
/// <param name="Done">Items done.</param>
/// <param name="Total">Items in all.</param>
public sealed record EvaluationProgress(string Stage, long Done, long Total)
{
    /// <summary>Scoring the points.</summary>
    public const string Scoring = "scoring";

    /// <summary>Choosing AEM-KDE's bandwidth and proposal weight on validation points.</summary>
    public const string KdeSelection = "choosing AEM-KDE settings";
}
