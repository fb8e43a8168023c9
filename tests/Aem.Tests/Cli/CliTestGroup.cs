namespace Aem.Tests.Cli;

/// <summary>
/// The CLI tests run the tool in-process, and the tool sets process-wide state (torch threads, the
/// global seed): they run one at a time, never beside other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliTestGroup
{
    public const string Name = "Cli";
}
