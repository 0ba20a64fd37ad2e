// The platform's own entry point, started as a child process for the cold-start figure.
import '../../packages/platform/src/main';
