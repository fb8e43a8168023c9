using Aem.Cli;
using Aem.Cli.Terminal;

using var stop = GracefulStop.FromProcessSignals();
return Cli.Run(args, Console.Out, Console.Error, stop);
