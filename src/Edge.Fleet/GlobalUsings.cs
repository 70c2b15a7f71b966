global using Edge.CommandLine;
global using Edge.Protocol;
