using System.CommandLine;
using System.Runtime.InteropServices;
using Enforcement.Media.Ingest.Docks;
using Enforcement.Media.Ingest.Hosting;
using Enforcement.Media.Storage.Audit;
using Enforcement.Media.Storage.Recordings;
using Enforcement.Media.Storage.Startup;

namespace Enforcement.Media.Ingest.Commands;

/// <summary>
/// <c>ingest files [--parallel N] &lt;path&gt;...</c>: ingest files or folders (recursively), N at a
/// time, with a progress bar per file and a summary table. Exit code 0 when all were stored, 1 when
/// any failed, 3 when none failed but a station's hash did not match (stored, quarantined). Sources
/// are never deleted.
/// </summary>
internal static class FilesCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Files or folders to ingest; folders are read recursively." };
        var parallel = new Option<int>("--parallel")
        {
            Description = "How many files to ingest at once (1-16). Two keep both cores of a small machine busy: one file hashes while the other is written.",
            DefaultValueFactory = _ => FileIngestion.DefaultConcurrency,
        };
        parallel.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > FileIngestion.MaxConcurrency)
            {
                result.AddError($"--parallel must be between 1 and {FileIngestion.MaxConcurrency}.");
            }
        });
        var command = new Command("files", "Ingest files or folders into the archive, with a progress bar per file and a summary table.") { paths, parallel };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The progress bars own the console: only warnings and errors are logged beside them.
            await using var app = IngestHost.Build(["--Serilog:MinimumLevel:Default=Warning"]);
            await app.Services.GetRequiredService<StorageStartup>().StartAsync(cancellationToken);
            var ingestion = new FileIngestion(
                app.Services.GetRequiredService<RecordingArchive>(),
                app.Services.GetRequiredService<DeliveryReader>(),
                app.Services.GetRequiredService<AuditTrail>(),
                CommandConsole.Configure(),
                $"user:{Environment.UserName}",
                parse.GetValue(parallel));
            // Ctrl-C (or SIGTERM) stops taking new files and abandons the ones in flight, then the
            // summary is still printed; a second Ctrl-C ends the process at once.
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => Interrupt(signal, interrupt));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => Interrupt(signal, interrupt));
            var results = await ingestion.IngestAsync(parse.GetValue(paths) ?? [], interrupt.Token);
            return FileIngestion.ExitCode(results);
        });
        return command;
    }

    private static void Interrupt(PosixSignalContext signal, CancellationTokenSource interrupt)
    {
        if (interrupt.IsCancellationRequested)
        {
            return; // the second one: the default action ends the process
        }

        signal.Cancel = true;
        Console.Error.WriteLine("Interrupted: no new file is started and the files in flight are abandoned (their sources are untouched); the summary follows. Ctrl-C again quits at once.");
        interrupt.Cancel();
    }
}
