// The command language shared by every surface.
export * from './command';
export * from './command-table';
export * from './parser';
