/**
 * The NODE_OPTIONS the image gives every role (Dockerfile, runtime stage), so that processes started here run
 * as the containers do: a young generation of at most 16 MB per semi-space, Node 20's default. Node 24 sizes
 * it by the machine's memory instead, and the API then holds far more memory and spends more CPU per answer
 * collecting it, for no gain in the pipeline (figures: bench/results/findings.md, "Node 24").
 */
export const ROLE_NODE_OPTIONS = '--max-semi-space-size=16';
