import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids (UUIDv7): sortable by creation, safe to generate on any hub. */
export const newId = (): string => uuidv7();
