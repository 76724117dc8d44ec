// Every verb is a System.CommandLine command over the host's services that prints through Spectre.Console with invariant numbers.
global using System.CommandLine;
global using System.Globalization;
global using Microsoft.Extensions.DependencyInjection;
global using Spectre.Console;
