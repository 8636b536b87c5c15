using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CleanBackend.Cluster.Tests;

/// <summary>
/// A program the tests run (redis-server, nginx, the service), its output going to two files so a failure can show
/// their tails. Every live child is killed when the test process exits, even if a fixture never got to dispose it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Alive = new();
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StreamWriter _output;
    private readonly StreamWriter _errors;
    private readonly Lock _writing = new();
    private bool _closed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllLeftOver();
    }

    private ChildProcess(string name, Process process, string outputPath, string errorsPath)
    {
        Name = name;
        _process = process;
        OutputPath = outputPath;
        ErrorsPath = errorsPath;
        _output = new StreamWriter(outputPath, append: true, Encoding.UTF8) { AutoFlush = true };
        _errors = new StreamWriter(errorsPath, append: true, Encoding.UTF8) { AutoFlush = true };
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string OutputPath { get; }

    public string ErrorsPath { get; }

    /// <summary>
    /// Starts <paramref name="program"/>; its stdout and stderr are appended to NAME.out and NAME.err in
    /// <paramref name="logFolder"/> (appended, so a restarted program keeps its earlier output).
    /// </summary>
    public static ChildProcess Start(
        string name, string program, IEnumerable<string> arguments, string workingFolder, string logFolder,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string?>())
        {
            // null removes an inherited variable that would change the child's behaviour.
            if (value is null)
            {
                info.Environment.Remove(variable);
            }
            else
            {
                info.Environment[variable] = value;
            }
        }

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(name, process, Path.Combine(logFolder, name + ".out"), Path.Combine(logFolder, name + ".err"));
        process.OutputDataReceived += (_, line) => child.Write(child._output, line.Data);
        process.ErrorDataReceived += (_, line) => child.Write(child._errors, line.Data);
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            child.CloseFiles();
            process.Dispose();
            throw new InvalidOperationException($"{name}: {program} did not start: {e.Message}", e);
        }

        Alive[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Kills the program at once (SIGKILL, its children too) and waits for it to be gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            // Waits for the output pipes to close too, so the last lines are in the files.
            using var wait = new CancellationTokenSource(ExitWait);
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Never started, already reaped, or a grandchild still holds the pipes: it is gone or going.
        }
        finally
        {
            Alive.TryRemove(_process.Id, out _);
        }
    }

    /// <summary>The last lines of both outputs, for a failure message.</summary>
    public string Tail(int lines = 40) =>
        $"--- {Name} (pid {Id}{(HasExited ? $", exited {_process.ExitCode}" : string.Empty)}) stdout, last {lines} lines:\n{TailOf(OutputPath, lines)}\n" +
        $"--- {Name} stderr, last {lines} lines:\n{TailOf(ErrorsPath, lines)}";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        CloseFiles();
        _process.Dispose();
    }

    public static string TailOf(string path, int lines)
    {
        if (!File.Exists(path))
        {
            return "(no file)";
        }

        // The program may still be writing: read without locking it out.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines + 1)).TrimEnd();
    }

    private void CloseFiles()
    {
        lock (_writing)
        {
            _closed = true;
            _output.Dispose();
            _errors.Dispose();
        }
    }

    private void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_writing)
        {
            if (!_closed)
            {
                writer.WriteLine(line);
            }
        }
    }

    private static void KillAllLeftOver()
    {
        foreach (var process in Alive.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }
}
