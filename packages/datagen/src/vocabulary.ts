// What the dealer's network looks like: its cities (Paris the biggest) and the models it sells and rents.
// Weights are relative shares of transactions; `basePrice` is a typical sale price in euros.

export interface City {
  name: string;
  weight: number;
}

export interface CarModel {
  name: string;
  weight: number;
  basePrice: number;
}

export const CITIES: readonly City[] = [
  { name: 'Paris', weight: 24 },
  { name: 'Lyon', weight: 10 },
  { name: 'Marseille', weight: 9 },
  { name: 'Toulouse', weight: 7 },
  { name: 'Bordeaux', weight: 6 },
  { name: 'Nice', weight: 6 },
  { name: 'Nantes', weight: 5.5 },
  { name: 'Lille', weight: 5 },
  { name: 'Strasbourg', weight: 4.5 },
  { name: 'Montpellier', weight: 4.5 },
  { name: 'Rennes', weight: 3.5 },
  { name: 'Grenoble', weight: 3 },
  { name: 'Saint-Étienne', weight: 2.5 },
  { name: 'Aix-en-Provence', weight: 2.5 },
  { name: 'Toulon', weight: 2.2 },
  { name: 'Reims', weight: 2 },
  { name: 'Le Havre', weight: 2 },
  { name: 'Dijon', weight: 1.8 },
  { name: 'Clermont-Ferrand', weight: 1.6 },
  { name: 'Nîmes', weight: 1.5 },
  { name: 'Angers', weight: 1.4 },
  { name: 'Évreux', weight: 0.6 },
];

export const CAR_MODELS: readonly CarModel[] = [
  { name: 'Peugeot 208', weight: 9, basePrice: 19_500 },
  { name: 'Renault Clio', weight: 9, basePrice: 18_900 },
  { name: 'Dacia Sandero', weight: 8, basePrice: 12_900 },
  { name: 'Peugeot 2008', weight: 6, basePrice: 25_900 },
  { name: 'Citroën C3', weight: 6, basePrice: 17_500 },
  { name: 'Renault Captur', weight: 5, basePrice: 24_500 },
  { name: 'Peugeot 308', weight: 5, basePrice: 29_900 },
  { name: 'Toyota Yaris', weight: 5, basePrice: 21_900 },
  { name: 'Dacia Duster', weight: 4.5, basePrice: 19_900 },
  { name: 'Peugeot 3008', weight: 4, basePrice: 36_500 },
  { name: 'Volkswagen Polo', weight: 4, basePrice: 20_900 },
  { name: 'Volkswagen Golf', weight: 3.5, basePrice: 31_500 },
  { name: 'Tesla Model Y', weight: 3.5, basePrice: 45_900 },
  { name: 'Renault Clio, série limitée', weight: 3, basePrice: 21_500 },
  { name: 'Citroën C4', weight: 3, basePrice: 26_900 },
  { name: 'Toyota C-HR', weight: 3, basePrice: 33_900 },
  { name: 'Tesla Model 3', weight: 2.5, basePrice: 42_900 },
  { name: 'Renault Mégane E-Tech', weight: 2.5, basePrice: 38_500 },
  { name: 'Fiat 500', weight: 2.5, basePrice: 16_900 },
  { name: 'Dacia Spring', weight: 2.5, basePrice: 16_900 },
  { name: 'Renault Austral', weight: 2, basePrice: 35_900 },
  { name: 'Citroën C5 Aircross', weight: 2, basePrice: 34_500 },
  { name: 'Opel Corsa', weight: 2, basePrice: 19_900 },
  { name: 'Ford Puma', weight: 2, basePrice: 27_500 },
  { name: 'Nissan Qashqai', weight: 2, basePrice: 31_900 },
  { name: 'Kia Niro', weight: 1.8, basePrice: 33_500 },
  { name: 'Hyundai Tucson', weight: 1.8, basePrice: 36_900 },
  { name: 'Skoda Octavia', weight: 1.5, basePrice: 30_900 },
  { name: 'Toyota RAV4', weight: 1.5, basePrice: 44_900 },
  { name: 'MG4 Electric', weight: 1.5, basePrice: 32_900 },
  { name: 'Peugeot 5008', weight: 1.4, basePrice: 41_900 },
  { name: 'Peugeot 308 SW, GT Line', weight: 1.2, basePrice: 37_900 },
  { name: 'BMW Série 1', weight: 1.2, basePrice: 36_900 },
  { name: 'Mercedes Classe A', weight: 1.2, basePrice: 38_900 },
  { name: 'Audi A3 Sportback', weight: 1.2, basePrice: 36_500 },
  { name: 'Volkswagen T-Roc', weight: 1.2, basePrice: 31_900 },
  { name: 'DS 7 "E-Tense"', weight: 0.8, basePrice: 52_900 },
  { name: 'Mini Cooper "Edition 60", cabriolet', weight: 0.6, basePrice: 34_900 },
  { name: 'BMW X1', weight: 0.8, basePrice: 47_900 },
  { name: 'Alpine A110 "Légende"', weight: 0.4, basePrice: 58_500 },
  { name: 'Citroën Ami', weight: 0.8, basePrice: 8_900 },
];

export const FIRST_DATE = '2022-01-01';
export const LAST_DATE = '2024-12-31';
