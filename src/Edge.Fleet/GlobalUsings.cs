global using Edge.CommandLine;
