// The shapes of the domain: the CSV's columns, rejected rows, partial metrics and the published results.

/** A column of the transactions CSV (contract §1). */
export type Column = 'transaction_id' | 'date' | 'ville' | 'type' | 'modele' | 'prix' | 'duree_location_mois';

export const COLUMNS: readonly Column[] = ['transaction_id', 'date', 'ville', 'type', 'modele', 'prix', 'duree_location_mois'];
export const REQUIRED_COLUMNS: readonly Column[] = ['date', 'ville', 'type', 'modele', 'prix'];

export type Delimiter = ',' | ';';
export type SourceEncoding = 'utf-8' | 'windows-1252';

/**
 * What a stretch of a file's bytes is: pure ASCII (it reads the same in both encodings), valid UTF-8 with other
 * characters, or not UTF-8 (so the file is Windows-1252).
 */
export type TextKind = 'ascii' | 'utf-8' | 'windows-1252';

/** What the header told us: delimiter, field count and where each column sits (-1: absent optional column). */
export interface HeaderLayout {
  delimiter: Delimiter;
  fieldCount: number;
  columns: Record<Column, number>;
  /** 1-based physical line number of the header. */
  headerLine: number;
}

/** Stable codes of the rules a row can break, used as keys of `rejected.by_reason`. */
export type RejectReason =
  | 'field_count'
  | 'unterminated_quote'
  | 'record_too_long'
  | 'text_after_quote'
  | 'invalid_date'
  | 'missing_ville'
  | 'invalid_type'
  | 'missing_modele'
  | 'invalid_prix'
  | 'invalid_duree';

/** A rejected row kept for the run report: 1-based physical line number and a readable reason. */
export interface RejectSample {
  line: number;
  reason: string;
}

/** How many reject samples a partial (and a run report) keeps: the ones with the smallest line numbers. */
export const SAMPLE_LIMIT = 20;

export interface ModeleCounts {
  transactions: number;
  ventes: number;
  locations: number;
  /** Revenue in integer cents. */
  caCents: number;
}

/** One ville's partial metrics. */
export interface VillePartial {
  /** `YYYY-MM` → revenue in integer cents; only months with rows. */
  months: Record<string, number>;
  vente: number;
  location: number;
  /** modele → counts; full counts, never a top-N. */
  modeles: Record<string, ModeleCounts>;
}

/**
 * Metrics of any set of rows, mergeable with any other set's (associative, commutative). JSON-serialisable;
 * records are null-prototype objects so a ville or modele named `__proto__` is data like any other.
 */
export interface PartialMetrics {
  rowsValid: number;
  rowsRejected: number;
  rejectedByReason: Partial<Record<RejectReason, number>>;
  /** At most SAMPLE_LIMIT, the smallest line numbers, ascending. */
  samples: RejectSample[];
  villes: Record<string, VillePartial>;
}

export interface TopModele {
  modele: string;
  transactions: number;
  ventes: number;
  locations: number;
  /** Euros, at most 2 decimals. */
  ca: number;
}

/** The finalised metrics of a run (contract §2), money in euros with at most 2 decimals. */
export interface Results {
  /** French collation. */
  villes: string[];
  /** ville → `YYYY-MM` (ascending) → euros. */
  ca_mensuel: Record<string, Record<string, number>>;
  /** ville → counts; both keys always present. */
  repartition: Record<string, { vente: number; location: number }>;
  /** ville → its first 100 modeles, ranked over the whole ville (transactions desc, then modele in code-point order). */
  top_modeles: Record<string, TopModele[]>;
  /** ville → how many distinct modeles it has (top_modeles keeps the first 100). */
  distinct_modeles: Record<string, number>;
  rows_valid: number;
  rows_rejected: number;
}
